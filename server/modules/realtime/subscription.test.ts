import { describe, expect, it } from 'vitest';
import type { Message } from '../../../protocol/common.js';
import { type ReadMessages, Subscription } from './subscription.js';

const message = (seq: number): Message =>
  ({ id: `m${seq}`, conversationId: 'c1', seq, body: `m${seq}` }) as unknown as Message;

/** A conversation whose database holds seqs 1..stored, and a socket that records what it got. */
function stage(lastSeq: number) {
  let stored = lastSeq;
  const reads: number[] = [];
  const sent: number[] = [];
  const read: ReadMessages = async ({ afterSeq, beforeSeq, limit }) => {
    reads.push(afterSeq);
    const out: Message[] = [];
    for (let seq = afterSeq + 1; seq <= stored && (beforeSeq === undefined || seq < beforeSeq); seq += 1)
      if (out.length < limit) out.push(message(seq));
    return out;
  };
  const sink = {
    open: true,
    sendRaw: (frame: string) => sent.push((JSON.parse(frame) as { message: Message }).message.seq),
    sendFrame: () => undefined,
  };
  const sub = new Subscription(read, sink, 'c1', lastSeq, (err) => {
    throw err;
  });
  const store = (seq: number) => {
    stored = seq;
    return JSON.stringify({ type: 'message.new', message: message(seq) });
  };
  const settle = () => new Promise((r) => setTimeout(r, 10));
  return { sub, reads, sent, store, settle };
}

describe('a subscription behind the database (the hub sweeps every few seconds)', () => {
  it('reads nothing for a publication that is merely on its way', async () => {
    const { sub, reads, sent, store, settle } = stage(3);
    const frame4 = store(4);
    sub.onBehind(4); // committed, the publication not here yet
    sub.onLive(message(4), frame4);
    sub.onBehind(4); // next sweep: nothing missing any more
    await settle();
    expect(reads).toEqual([]);
    expect(sent).toEqual([4]);
  });

  it('reads what was already missing at the previous sweep and is still missing, once, in order', async () => {
    const { sub, reads, sent, store, settle } = stage(3);
    store(5); // 4 and 5 committed; their publications were lost
    sub.onBehind(5);
    await settle();
    expect(reads).toEqual([]);
    sub.onBehind(5);
    await settle();
    expect(reads).toEqual([3]);
    expect(sent).toEqual([4, 5]);
    sub.onBehind(5);
    await settle();
    expect(reads).toEqual([3]);
  });

  it('a socket that keeps falling behind by newer messages still gets the lost one at the next sweep', async () => {
    const { sub, reads, sent, store, settle } = stage(1);
    store(2); // lost
    sub.onBehind(2);
    const frame3 = store(3); // arrives live, but 2 is missing: the gap is read at once
    sub.onLive(message(3), frame3);
    await settle();
    expect(sent).toEqual([2, 3]);
    store(4);
    sub.onBehind(4);
    sub.onBehind(4);
    await settle();
    expect(sent).toEqual([2, 3, 4]);
    expect(reads.length).toBe(2);
  });
});
