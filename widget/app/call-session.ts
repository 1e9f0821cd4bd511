import type { CallEndReason, CallMedia, CallSignal } from '../../protocol/calls.js';
import { RemoteCandidates } from '../../protocol/remote-candidates.js';
import type { ServerFrame } from '../../protocol/ws.js';
import type { Chat } from './chat.js';
import type { MessageKey } from './i18n/en.js';

/**
 * The visitor's side of a call (docs/PROTOCOL.md §4.5), in its own chunk: loaded only when a call
 * rings. It imports nothing but types (a lazy chunk must not import from app.js); call-view.tsx
 * draws it. Accepting asks for the microphone (and the camera, if chosen), takes a single-use token and
 * joins the room; the agent's side then sends the WebRTC offer, answered here.
 */
export interface Ringing {
  callId: string;
  media: CallMedia;
  agentName: string;
}

export type Phase = 'ringing' | 'connecting' | 'active' | 'ended';
export interface CallState {
  phase: Phase;
  muted: boolean;
  cameraOff: boolean;
  local: MediaStream | null;
  remote: MediaStream | null;
  ended: MessageKey | null;
}

const ENDED: Record<CallEndReason, MessageKey> = {
  ended: 'callEnded',
  declined: 'callDeclined',
  missed: 'callMissed',
  left: 'callEnded',
  access_ended: 'callEnded',
  erased: 'callEnded',
  lost: 'callEnded',
};

export class VisitorCall {
  view: CallState = {
    phase: 'ringing',
    muted: false,
    cameraOff: false,
    local: null,
    remote: null,
    ended: null,
  };
  pc: RTCPeerConnection | null = null;
  private readonly candidates = new RemoteCandidates();
  private rids = 0;
  private readonly waiting = new Map<string, (f: ServerFrame) => void>();
  private readonly off: () => void;

  constructor(
    private readonly chat: Chat,
    readonly ringing: Ringing,
    private readonly onChange: (v: CallState) => void,
  ) {
    this.off = chat.onCall((f) => this.onFrame(f));
  }

  async accept(withCamera: boolean): Promise<void> {
    if (this.view.phase !== 'ringing') return;
    this.set({ phase: 'connecting' });
    let local: MediaStream;
    try {
      const video = withCamera && this.ringing.media === 'video';
      local = await navigator.mediaDevices.getUserMedia({ audio: true, video });
    } catch {
      this.decline();
      this.set({ ended: 'callDevices' });
      return;
    }
    this.set({ local, cameraOff: local.getVideoTracks().length === 0 });
    const { callId } = this.ringing;
    const token = await this.ask({ type: 'call.token', callId });
    if (token.type !== 'call.token') return this.fail();
    const pc = new RTCPeerConnection({ iceServers: token.iceServers });
    this.pc = pc;
    for (const track of local.getTracks()) pc.addTrack(track, local);
    const remote = new MediaStream();
    pc.ontrack = (e) => {
      remote.addTrack(e.track);
      this.set({ remote: new MediaStream(remote.getTracks()) });
    };
    pc.onicecandidate = (e) => {
      if (e.candidate)
        this.chat.sendCall({
          type: 'call.signal',
          callId,
          signal: {
            kind: 'candidate',
            candidate: e.candidate.candidate,
            sdpMid: e.candidate.sdpMid,
            sdpMLineIndex: e.candidate.sdpMLineIndex,
          },
        });
    };
    pc.onconnectionstatechange = () => {
      if (pc.connectionState === 'connected') this.set({ phase: 'active' });
    };
    const joined = await this.ask({ type: 'call.join', callId, token: token.token });
    if (joined.type !== 'call.joined') this.fail();
  }

  decline(): void {
    if (this.view.phase === 'ringing')
      this.chat.sendCall({ type: 'call.decline', callId: this.ringing.callId });
    else this.chat.sendCall({ type: 'call.end', callId: this.ringing.callId });
    this.finish('callDeclined');
  }

  end(): void {
    this.chat.sendCall({ type: 'call.end', callId: this.ringing.callId });
    this.finish('callEnded');
  }

  toggleMute(): void {
    const muted = !this.view.muted;
    for (const t of this.view.local?.getAudioTracks() ?? []) t.enabled = !muted;
    this.set({ muted });
  }

  toggleCamera(): void {
    const cameraOff = !this.view.cameraOff;
    for (const t of this.view.local?.getVideoTracks() ?? []) t.enabled = !cameraOff;
    this.set({ cameraOff });
  }

  dispose(): void {
    this.off();
    this.release();
  }

  private onFrame(f: ServerFrame): void {
    if ('rid' in f && f.rid && this.waiting.has(f.rid)) {
      this.waiting.get(f.rid)?.(f);
      this.waiting.delete(f.rid);
      return;
    }
    if (!('callId' in f) || f.callId !== this.ringing.callId) return;
    if (f.type === 'call.signal') void this.receive(f.signal);
    else if (f.type === 'call.ended') this.finish(ENDED[f.reason]);
  }

  private async receive(signal: CallSignal): Promise<void> {
    const pc = this.pc;
    if (!pc) return;
    try {
      if (signal.kind === 'candidate') {
        await this.candidates.add(pc, signal);
        return;
      }
      if (signal.kind !== 'offer') return;
      await pc.setRemoteDescription({ type: 'offer', sdp: signal.sdp });
      await this.candidates.described(pc);
      await pc.setLocalDescription(await pc.createAnswer());
      this.chat.sendCall({
        type: 'call.signal',
        callId: this.ringing.callId,
        signal: { kind: 'answer', sdp: pc.localDescription?.sdp ?? '' },
      });
    } catch {
      this.end();
      this.set({ ended: 'callFailed' });
    }
  }

  private ask(frame: Parameters<Chat['sendCall']>[0]): Promise<ServerFrame> {
    const rid = `call-${++this.rids}`;
    return new Promise((resolve) => {
      if (!this.chat.sendCall({ ...frame, rid })) {
        resolve({ type: 'error', rid, code: 'not_connected', message: '' } as unknown as ServerFrame);
        return;
      }
      this.waiting.set(rid, resolve);
    });
  }

  private fail(): void {
    if (this.view.phase === 'ended') return;
    this.chat.sendCall({ type: 'call.end', callId: this.ringing.callId });
    this.finish('callFailed');
  }

  private finish(ended: MessageKey): void {
    if (this.view.phase === 'ended') return;
    this.release();
    this.set({ phase: 'ended', ended, local: null, remote: null });
  }

  private release(): void {
    this.pc?.close();
    this.pc = null;
    for (const t of this.view.local?.getTracks() ?? []) t.stop();
  }

  private set(patch: Partial<CallState>): void {
    this.view = { ...this.view, ...patch };
    this.onChange(this.view);
  }
}
