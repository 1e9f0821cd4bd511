import { describe, expect, it } from 'vitest';
import { Ledger, now } from './ledger.js';

const extra = { cpuMs: 0, wallMs: 0, eventLoopP99Ms: 0 };

describe('the generator ledger', () => {
  // The two-node scenario runs several rates on the same sockets: each run is counted alone, and a
  // message of an earlier run that turns up in a later one is reported, not taken for its own.
  it('counts each run alone after reset, and a late message of an earlier run is unknown', () => {
    const ledger = new Ledger();
    ledger.begin(now(), true, 0);
    ledger.sentOne('first-run-message-1', true);
    ledger.sentOne('first-run-message-2', true);
    ledger.ack('first-run-message-1');
    ledger.ack('first-run-message-2');
    ledger.received('first-run-message-1', false);
    ledger.refusedOne('rate_limited');
    expect(ledger.settled()).toBe(false);

    ledger.reset();
    ledger.begin(now(), true, 0);
    expect(ledger.settled()).toBe(true);
    ledger.sentOne('second-run-message', true);
    ledger.ack('second-run-message');
    ledger.received('second-run-message', false);
    ledger.received('first-run-message-2', false);

    const report = ledger.report(0, extra, true);
    expect(report).toMatchObject({
      sent: 1,
      acked: 1,
      delivered: 1,
      missing: 0,
      unknown: 1,
      refused: {},
      ackedIds: ['second-run-message'],
    });
    expect(report.latencies).toHaveLength(1);
    expect(report.ackLatencies).toHaveLength(1);
    expect(report.deliveredBuckets.reduce((a, b) => a + b, 0)).toBe(1);
    expect(report.samples).toEqual(['unknown message first-run-message-2']);
  });
});
