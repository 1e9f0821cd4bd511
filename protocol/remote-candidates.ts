import type { CallSignal } from './calls.js';

type CandidateSignal = Extract<CallSignal, { kind: 'candidate' }>;
type CandidateInit = Pick<CandidateSignal, 'candidate' | 'sdpMid' | 'sdpMLineIndex'>;
/** What this needs of an RTCPeerConnection (the server build has no DOM types). */
interface PeerConnection {
  readonly remoteDescription: unknown;
  addIceCandidate(candidate: CandidateInit): Promise<void>;
}

/**
 * The other side's ICE candidates, for both ends of a call (dashboard and widget). Candidates can
 * arrive before the description they belong to is set (they travel as separate frames): those are
 * held and added once it is, in the order they came.
 */
export class RemoteCandidates {
  private early: CandidateInit[] = [];

  async add(pc: PeerConnection, signal: CandidateSignal): Promise<void> {
    const init = { candidate: signal.candidate, sdpMid: signal.sdpMid, sdpMLineIndex: signal.sdpMLineIndex };
    if (pc.remoteDescription) await pc.addIceCandidate(init);
    else this.early.push(init);
  }

  /** The remote description is set: what waited for it goes in now. */
  async described(pc: PeerConnection): Promise<void> {
    for (const c of this.early.splice(0)) await pc.addIceCandidate(c);
  }

  clear(): void {
    this.early = [];
  }
}
