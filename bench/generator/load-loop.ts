import type { Peer } from './driver.js';
import { Bucket } from './pacer.js';
import type { SenderLoad } from './plan.js';

/** An open-loop sender never lets one socket pile up more than this many unacked messages. */
const OPEN_LOOP_CAP = 64;

/**
 * Drives a group of peers (the visitors, or the operators) with one load shape. Closed loop: each
 * socket keeps at most `window` unacked and stays under its per-socket rate; it sends again as soon
 * as an ack comes back. Open loop: a fixed total rate dealt out to the sockets in turn.
 */
export class LoadLoop {
  private readonly buckets = new Map<Peer, Bucket>();
  private readonly turn = new Map<Peer, number>();
  private running = false;
  private timer: NodeJS.Timeout | null = null;
  private issued = 0;
  private startedAt = 0;
  private next = 0;

  constructor(
    private readonly peers: Peer[],
    private readonly load: SenderLoad,
    private readonly newClientId: () => string,
    private readonly body: string,
  ) {}

  start(): void {
    if (this.load.mode === 'none' || this.peers.length === 0) return;
    this.running = true;
    this.startedAt = performance.now();
    if (this.load.mode === 'window') {
      const { perSocketRate, burst } = this.load;
      for (const p of this.peers) this.buckets.set(p, new Bucket(perSocketRate, burst));
      for (const p of this.peers) this.pump(p);
      // Refills: a socket that ran out of tokens gets another chance every few milliseconds.
      this.timer = setInterval(() => {
        for (const p of this.peers) this.pump(p);
      }, 10);
    } else {
      this.timer = setInterval(() => this.tick(), 1);
    }
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearInterval(this.timer);
  }

  /** Called when one of the peer's messages settles: in a closed loop, it may send again at once. */
  settled(peer: Peer): void {
    if (this.running && this.load.mode === 'window' && this.buckets.has(peer)) this.pump(peer);
  }

  private pump(peer: Peer): void {
    if (this.load.mode !== 'window') return;
    const bucket = this.buckets.get(peer);
    if (!bucket) return;
    while (peer.inFlight < this.load.window && bucket.take()) this.sendOne(peer);
  }

  private tick(): void {
    if (this.load.mode !== 'rate') return;
    const due = Math.floor(((performance.now() - this.startedAt) * this.load.totalPerSec) / 1000);
    let skipped = 0;
    while (this.issued < due && skipped < this.peers.length) {
      const peer = this.peers[this.next % this.peers.length] as Peer;
      this.next += 1;
      if (peer.inFlight >= OPEN_LOOP_CAP) {
        skipped += 1;
        continue;
      }
      this.issued += 1;
      this.sendOne(peer);
    }
  }

  private sendOne(peer: Peer): void {
    const i = this.turn.get(peer) ?? 0;
    this.turn.set(peer, i + 1);
    const conversationId = peer.conversations[i % peer.conversations.length] as string;
    peer.send(conversationId, this.newClientId(), this.body);
  }
}
