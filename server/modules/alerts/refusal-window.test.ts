import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { createMemoryCounters } from '../../platform/pubsub/shared-counters.js';
import { RefusalWindow } from './refusal-window.js';

const MIN = 60_000;

describe('refusal alert settings', () => {
  it('has defaults, takes whole numbers in range and refuses the rest', () => {
    const defaults = loadConfig({}).alerts;
    expect(defaults.refusalThresholds).toEqual({ origin: 20, ticket: 20, address: 5 });
    expect(defaults.refusalWindowMs).toBe(10 * MIN);
    const set = loadConfig({
      PARLEY_ALERT_REFUSED_ORIGINS: '50',
      PARLEY_ALERT_REFUSED_TICKETS: '7',
      PARLEY_ALERT_REFUSED_ADDRESSES: '1',
      PARLEY_ALERT_REFUSAL_WINDOW_MINUTES: '30',
    }).alerts;
    expect(set.refusalThresholds).toEqual({ origin: 50, ticket: 7, address: 1 });
    expect(set.refusalWindowMs).toBe(30 * MIN);
    expect(() => loadConfig({ PARLEY_ALERT_REFUSED_TICKETS: '0' })).toThrow(/PARLEY_ALERT_REFUSED_TICKETS/);
    expect(() => loadConfig({ PARLEY_ALERT_REFUSAL_WINDOW_MINUTES: '2000' })).toThrow(
      /PARLEY_ALERT_REFUSAL_WINDOW_MINUTES/,
    );
  });
});

describe('the refusal window', () => {
  const window = () =>
    new RefusalWindow(createMemoryCounters(), {
      refusalThresholds: { origin: 3, ticket: 3, address: 3 },
      refusalWindowMs: 10 * MIN,
    });
  const origin = (address: string, from: string | null = 'https://evil.example') => ({
    kind: 'origin' as const,
    address,
    origin: from,
  });

  it('reaches the threshold within the window only; older refusals slide out', async () => {
    const w = window();
    expect(await w.refused(origin('192.0.2.1'), 0)).toBe(false);
    expect(await w.refused(origin('192.0.2.1'), 1 * MIN)).toBe(false);
    // Eleven minutes on, the first has left the window.
    expect(await w.refused(origin('192.0.2.2'), 11 * MIN)).toBe(false);
    expect(await w.refused(origin('192.0.2.2'), 11 * MIN)).toBe(true);
  });

  it('counts kinds apart, and names the most frequent addresses and origins with their counts', async () => {
    const w = window();
    for (const a of ['192.0.2.1', '192.0.2.1', '2001:db8::7']) await w.refused(origin(a), 0);
    await w.refused(origin('192.0.2.9', null), 0);
    expect(await w.refused({ kind: 'ticket', address: '192.0.2.1', origin: null }, 0)).toBe(false);
    expect(await w.facts('origin', 0)).toEqual({
      refusals: 4,
      windowMinutes: 10,
      distinctAddresses: 3,
      addresses: '192.0.2.1 (2), 192.0.2.9 (1), 2001:db8::7 (1)',
      origins: 'https://evil.example (3)',
    });
    expect(await w.facts('ticket', 0)).not.toHaveProperty('origins');
  });
});

describe('the throttle in memory', () => {
  it('passes once per period and says how many were held back since', async () => {
    const c = createMemoryCounters();
    expect(await c.admit('k', 0, MIN)).toEqual({ admitted: true, heldBack: 0 });
    expect(await c.admit('k', 10, MIN)).toEqual({ admitted: false, heldBack: 1 });
    expect(await c.admit('k', 20, MIN)).toEqual({ admitted: false, heldBack: 2 });
    expect(await c.admit('k', MIN + 1, MIN)).toEqual({ admitted: true, heldBack: 2 });
    expect(await c.admit('other', 30, MIN)).toEqual({ admitted: true, heldBack: 0 });
  });
});
