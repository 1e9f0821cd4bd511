import type { Message } from '../../../protocol/common.js';
import { LIMITS } from '../../../protocol/limits.js';

/** Reads a page of one conversation's messages, decrypted and masked for this socket's viewer. */
export type ReadMessages = ((options: {
  afterSeq: number;
  beforeSeq?: number;
  limit: number;
}) => Promise<Message[]>) & {
  /** The conversation's last seq now. */
  lastSeq?: () => Promise<number>;
};

interface Sink {
  sendRaw(frame: string): void;
  sendFrame(frame: object): void;
  readonly open: boolean;
}

/**
 * One socket's view of one conversation. It delivers every message exactly once and in seq order:
 * the live fast path sends `lastSeq + 1` at once; anything else (a replay in progress, a gap left by
 * pub/sub reordering or loss) goes through a serial queue that reads the missing seqs from the
 * database first. Because seqs are allocated under a row lock, a committed seq N means every seq
 * below N is committed too, so the read always finds them.
 */
export class Subscription {
  private pending = 0;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly read: ReadMessages,
    private readonly sink: Sink,
    readonly conversationId: string,
    private lastSeq: number,
    /** A failed replay (`replay` true) ends the subscription; a failed catch-up is retried by the hub. */
    private readonly onError: (err: unknown, replay: { rid: string | undefined } | null) => void,
  ) {}

  /** Sends everything after the client's last seq, then `subscribed` (with `extra`, read last). */
  replay(rid: string | undefined, extra: () => Promise<object> = async () => ({})): void {
    this.enqueue(
      async () => {
        // A client claiming more than the conversation holds would otherwise wait for seqs that are
        // never sent (they are not above its afterSeq): it is answered from the real last seq.
        if (this.read.lastSeq) this.lastSeq = Math.min(this.lastSeq, await this.read.lastSeq());
        await this.catchUp();
        this.sink.sendFrame({
          type: 'subscribed',
          ...(rid ? { rid } : {}),
          conversationId: this.conversationId,
          lastSeq: this.lastSeq,
          ...(await extra()),
        });
      },
      { rid },
    );
  }

  /** The last seq the database had at the previous sweep while this socket was behind it, or 0. */
  private owedAtLastSweep = 0;

  /**
   * The database holds messages up to `lastSeq`. The hub calls it on a timer, so a message whose
   * publication was lost (pub/sub down, its node died right after the commit) still reaches every
   * open socket. Under load most sockets are behind for a moment, with the publication on its way:
   * reading the database for them would double the reads of the message path. So only what was
   * already owed at the previous sweep and has still not arrived is read: a lost publication is
   * delivered within two sweeps, a late one costs nothing.
   */
  onBehind(lastSeq: number): void {
    const owed = this.owedAtLastSweep;
    this.owedAtLastSweep = lastSeq > this.lastSeq ? lastSeq : 0;
    if (owed <= this.lastSeq || this.pending > 0) return;
    this.enqueue(() => this.catchUp());
  }

  onLive(message: Message, frame: string): void {
    if (this.pending === 0) {
      if (message.seq <= this.lastSeq) return;
      if (message.seq === this.lastSeq + 1) {
        this.lastSeq = message.seq;
        this.sink.sendRaw(frame);
        return;
      }
    }
    this.enqueue(async () => {
      if (message.seq <= this.lastSeq) return;
      if (message.seq > this.lastSeq + 1) await this.catchUp(message.seq);
      if (message.seq === this.lastSeq + 1) {
        this.lastSeq = message.seq;
        this.sink.sendRaw(frame);
      }
    });
  }

  private enqueue(task: () => Promise<void>, replay: { rid: string | undefined } | null = null): void {
    this.pending += 1;
    this.chain = this.chain
      .then(() => (this.sink.open ? task() : undefined))
      .catch((err: unknown) => this.onError(err, replay))
      .finally(() => {
        this.pending -= 1;
      });
  }

  private async catchUp(beforeSeq?: number): Promise<void> {
    const limit = LIMITS.replayPageSize;
    for (;;) {
      const rows = await this.read({
        afterSeq: this.lastSeq,
        ...(beforeSeq !== undefined ? { beforeSeq } : {}),
        limit,
      });
      for (const row of rows) {
        if (!this.sink.open) return;
        this.lastSeq = row.seq;
        this.sink.sendRaw(JSON.stringify({ type: 'message.new', message: row }));
      }
      if (rows.length < limit) return;
    }
  }
}
