import type { CallEndReason, CallMedia, CallSignal, IceServer } from '../../../protocol/calls.js';
import { RemoteCandidates } from '../../../protocol/remote-candidates.js';
import type { ClientFrame, ServerFrame } from '../../../protocol/ws.js';
import type { Realtime } from './realtime.js';

/**
 * The agent's side of one call (docs/PROTOCOL.md §4.5), a plain state class the call panel renders:
 * it asks for the camera and microphone first (so a refused device never rings the visitor), offers
 * the call, joins its room with a single-use token, and sends the WebRTC offer once the visitor
 * accepts. Media flows between the two browsers; only signalling goes through Parley's socket.
 */
export type CallPhase = 'idle' | 'starting' | 'ringing' | 'connecting' | 'active' | 'ended';

export interface CallView {
  phase: CallPhase;
  media: CallMedia;
  callId: string | null;
  /** When the visitor accepted (the timer counts from it). */
  activeSince: number | null;
  muted: boolean;
  cameraOff: boolean;
  sharing: boolean;
  error: string | null;
  endReason: CallEndReason | null;
  local: MediaStream | null;
  remote: MediaStream | null;
}

const IDLE: CallView = {
  phase: 'idle',
  media: 'video',
  callId: null,
  activeSince: null,
  muted: false,
  cameraOff: false,
  sharing: false,
  error: null,
  endReason: null,
  local: null,
  remote: null,
};

/** What the server's refusals mean to the agent. */
const REFUSALS: Record<string, string> = {
  calls_disabled: 'Calls are turned off for this widget. An administrator can turn them on.',
  call_in_progress: 'This conversation already has a call ringing or going on.',
  rate_limited: 'Too many calls started in a short time. Wait a few seconds and try again.',
  call_not_found: 'The call has already ended.',
  call_token_invalid: 'The call could not be joined. Start it again.',
  call_taken: 'You are already in this call from another tab or device.',
  forbidden: 'You may not call in this conversation.',
  conversation_not_found: 'You may not call in this conversation.',
};

/** What the browser's refusals of the camera, microphone or screen mean to the agent. */
export function deviceError(e: unknown, what = 'the camera and microphone'): string {
  const name = e instanceof DOMException ? e.name : '';
  if (name === 'NotAllowedError')
    return `The browser was not allowed to use ${what}. Allow it and try again.`;
  if (name === 'NotFoundError')
    return `No ${what === 'the screen' ? 'screen' : 'camera or microphone'} was found.`;
  if (name === 'NotReadableError')
    return `${what[0]?.toUpperCase()}${what.slice(1)} is in use by another program.`;
  return `Could not start ${what}.`;
}

export const END_WORDS: Record<CallEndReason, string> = {
  ended: 'The call ended.',
  declined: 'The visitor declined the call.',
  missed: 'The visitor did not answer.',
  left: 'The call ended: a side lost its connection.',
  access_ended: 'The call ended: the conversation is no longer yours.',
  erased: 'The call ended: the visitor’s data was erased.',
  lost: 'The call ended: the connection to one side was lost.',
};

type CallFrame = Extract<ClientFrame, { type: `call.${string}` }>;
type Waiting = { resolve: (f: ServerFrame) => void };

export class CallSession {
  private view: CallView = IDLE;
  private readonly listeners = new Set<() => void>();
  private readonly waiting = new Map<string, Waiting>();
  private pc: RTCPeerConnection | null = null;
  private iceServers: IceServer[] = [];
  private camera: MediaStreamTrack | null = null;
  private screen: MediaStreamTrack | null = null;
  private readonly candidates = new RemoteCandidates();
  private unsubscribe: (() => void) | null = null;
  private rids = 0;
  private joined = false;
  private acceptedEarly = false;

  constructor(
    private readonly realtime: Realtime,
    readonly conversationId: string,
  ) {}

  get snapshot(): CallView {
    return this.view;
  }

  listen(cb: () => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  /** The peer connection while a call runs (tests read its statistics). */
  get peer(): RTCPeerConnection | null {
    return this.pc;
  }

  async start(media: CallMedia): Promise<void> {
    if (this.view.phase !== 'idle' && this.view.phase !== 'ended') return;
    this.joined = false;
    this.acceptedEarly = false;
    this.set({ ...IDLE, phase: 'starting', media });
    let local: MediaStream;
    try {
      local = await navigator.mediaDevices.getUserMedia({ audio: true, video: media === 'video' });
    } catch (e) {
      this.fail(deviceError(e, media === 'video' ? 'the camera and microphone' : 'the microphone'));
      return;
    }
    this.camera = local.getVideoTracks()[0] ?? null;
    this.set({ local });
    this.unsubscribe ??= this.realtime.onFrame((f) => this.onFrame(f));
    const created = await this.ask({ type: 'call.offer', conversationId: this.conversationId, media });
    if (created.type !== 'call.created') return this.refused(created);
    this.set({ callId: created.callId });
    const token = await this.ask({ type: 'call.token', callId: created.callId });
    if (token.type !== 'call.token') return this.refused(token);
    this.iceServers = token.iceServers;
    const joined = await this.ask({ type: 'call.join', callId: created.callId, token: token.token });
    if (joined.type !== 'call.joined') return this.refused(joined);
    this.joined = true;
    // Signals are relayed between joined seats only: a visitor quick enough to accept before this
    // seat was joined is answered now.
    if (this.acceptedEarly || joined.state === 'active') void this.connect();
    else this.set({ phase: 'ringing' });
  }

  toggleMute(): void {
    const muted = !this.view.muted;
    for (const t of this.view.local?.getAudioTracks() ?? []) t.enabled = !muted;
    this.set({ muted });
  }

  toggleCamera(): void {
    const cameraOff = !this.view.cameraOff;
    if (this.camera) this.camera.enabled = !cameraOff;
    this.set({ cameraOff });
  }

  /** Screen sharing replaces the camera's track on the same sender: no renegotiation needed. */
  async toggleShare(): Promise<void> {
    if (this.view.sharing) return this.stopShare();
    let display: MediaStream;
    try {
      display = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
    } catch (e) {
      this.set({ error: deviceError(e, 'the screen') });
      return;
    }
    const track = display.getVideoTracks()[0];
    const sender = this.videoSender();
    if (!track || !sender) {
      for (const t of display.getTracks()) t.stop();
      return;
    }
    await sender.replaceTrack(track);
    this.screen = track;
    // The browser's own "Stop sharing" button ends the track: go back to the camera.
    track.addEventListener('ended', () => void this.stopShare());
    this.set({ sharing: true, error: null, local: new MediaStream([track, ...this.audioTracks()]) });
  }

  end(): void {
    const { callId } = this.view;
    if (callId) this.realtime.client.sendCall({ type: 'call.end', callId });
    this.finish('ended');
  }

  /** The conversation view closed: nothing may keep the camera on behind the agent's back. */
  dispose(): void {
    if (this.view.phase !== 'idle' && this.view.phase !== 'ended') this.end();
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.listeners.clear();
  }

  private async stopShare(): Promise<void> {
    const screen = this.screen;
    if (!screen) return;
    this.screen = null;
    screen.stop();
    await this.videoSender()?.replaceTrack(this.camera);
    const tracks = [...(this.camera ? [this.camera] : []), ...this.audioTracks()];
    this.set({ sharing: false, local: new MediaStream(tracks) });
  }

  private audioTracks(): MediaStreamTrack[] {
    return this.view.local?.getAudioTracks() ?? [];
  }

  private videoSender(): RTCRtpSender | undefined {
    return this.pc?.getSenders().find((s) => s.track?.kind === 'video' || s.track === null);
  }

  private onFrame(f: ServerFrame): void {
    if ('rid' in f && f.rid && this.waiting.has(f.rid)) {
      this.waiting.get(f.rid)?.resolve(f);
      this.waiting.delete(f.rid);
      return;
    }
    const callId = this.view.callId;
    if (!callId || !('callId' in f) || f.callId !== callId) return;
    if (f.type === 'call.accepted') {
      if (this.joined) void this.connect();
      else this.acceptedEarly = true;
    } else if (f.type === 'call.signal') void this.receive(f.signal);
    else if (f.type === 'call.ended') this.finish(f.reason);
  }

  /** The visitor accepted: the agent's side makes the WebRTC offer. */
  private async connect(): Promise<void> {
    if (this.pc || !this.view.local) return;
    const callId = this.view.callId as string;
    const pc = new RTCPeerConnection({ iceServers: this.iceServers });
    this.pc = pc;
    this.set({ phase: 'connecting' });
    const local = this.view.local;
    for (const track of local.getTracks()) pc.addTrack(track, local);
    // A voice call still receives nothing but audio; a video call both ways.
    const remote = new MediaStream();
    pc.ontrack = (e) => {
      remote.addTrack(e.track);
      this.set({ remote: new MediaStream(remote.getTracks()) });
    };
    pc.onicecandidate = (e) => {
      if (e.candidate)
        this.signal(callId, {
          kind: 'candidate',
          candidate: e.candidate.candidate,
          sdpMid: e.candidate.sdpMid,
          sdpMLineIndex: e.candidate.sdpMLineIndex,
        });
    };
    pc.onconnectionstatechange = () => {
      if (pc.connectionState === 'connected' && this.view.phase === 'connecting')
        this.set({ phase: 'active', activeSince: Date.now() });
      if (pc.connectionState === 'failed')
        this.set({ error: 'The connection to the visitor failed. End the call and try again.' });
    };
    await pc.setLocalDescription(await pc.createOffer());
    this.signal(callId, { kind: 'offer', sdp: pc.localDescription?.sdp ?? '' });
  }

  private async receive(signal: CallSignal): Promise<void> {
    const pc = this.pc;
    if (!pc) return;
    try {
      if (signal.kind === 'candidate') {
        await this.candidates.add(pc, signal);
        return;
      }
      if (signal.kind !== 'answer') return;
      await pc.setRemoteDescription({ type: 'answer', sdp: signal.sdp });
      await this.candidates.described(pc);
    } catch {
      this.set({ error: 'The visitor’s browser sent something this one could not use.' });
    }
  }

  private signal(callId: string, signal: CallSignal): void {
    this.realtime.client.sendCall({ type: 'call.signal', callId, signal });
  }

  private ask(frame: CallFrame): Promise<ServerFrame> {
    const rid = `call-${++this.rids}-${Math.random().toString(36).slice(2, 8)}`;
    return new Promise((resolve) => {
      if (!this.realtime.client.sendCall({ ...frame, rid })) {
        resolve({ type: 'error', rid, code: 'network_error', message: '' } as unknown as ServerFrame);
        return;
      }
      this.waiting.set(rid, { resolve });
    });
  }

  private refused(answer: ServerFrame): void {
    // Declined or withdrawn while this side was still joining: the end frame already said why.
    if (this.view.phase === 'ended') return;
    const code: string = answer.type === 'error' ? answer.code : '';
    const words =
      code === 'network_error'
        ? 'Not connected to the server. Wait for the connection to come back and try again.'
        : (REFUSALS[code] ?? 'The call could not be started. Try again.');
    if (this.view.callId) this.realtime.client.sendCall({ type: 'call.end', callId: this.view.callId });
    this.fail(words);
  }

  private fail(error: string): void {
    this.release();
    this.set({ phase: 'ended', error, endReason: null, local: null, remote: null });
  }

  private finish(reason: CallEndReason): void {
    // "Already ended" while joining, then the end frame with its reason (declined, say): say that.
    if (this.view.phase === 'ended' && this.view.error === REFUSALS.call_not_found) {
      this.set({ error: null, endReason: reason });
      return;
    }
    if (this.view.phase === 'ended' || this.view.phase === 'idle') return;
    this.release();
    this.set({ phase: 'ended', endReason: reason, local: null, remote: null, sharing: false });
  }

  private release(): void {
    this.pc?.close();
    this.pc = null;
    this.candidates.clear();
    for (const t of this.view.local?.getTracks() ?? []) t.stop();
    this.camera?.stop();
    this.screen?.stop();
    this.camera = null;
    this.screen = null;
  }

  private set(patch: Partial<CallView>): void {
    this.view = { ...this.view, ...patch };
    for (const l of this.listeners) l();
  }
}
