import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { iceServersFor } from './modules/calls/ice-servers.js';
import { clock } from './platform/clock.js';

const SECRET = 'a'.repeat(32);

/** ICE servers and TURN credentials: refused at start when they could not work or would be weak. */
describe('call settings', () => {
  it('defaults: no ICE servers, no TURN secret, credentials for 10 minutes', () => {
    expect(loadConfig({}, '/srv/parley').calls).toEqual({
      stunUrls: [],
      turnUrls: [],
      turnSecret: null,
      turnTtlSeconds: 600,
    });
  });

  it('reads STUN and TURN URLs, and refuses anything else, a TURN server without a secret, a weak secret', () => {
    const config = loadConfig({
      PARLEY_ICE_SERVERS:
        'stun:turn.example.com:3478, turn:turn.example.com:3478?transport=udp,turns:[2001:db8::1]:5349',
      PARLEY_TURN_SECRET: SECRET,
      PARLEY_TURN_TTL_SECONDS: '120',
    }).calls;
    expect(config.stunUrls).toEqual(['stun:turn.example.com:3478']);
    expect(config.turnUrls).toEqual(['turn:turn.example.com:3478?transport=udp', 'turns:[2001:db8::1]:5349']);
    expect(config.turnTtlSeconds).toBe(120);
    expect(() => loadConfig({ PARLEY_ICE_SERVERS: 'https://turn.example.com' })).toThrow(/is not a stun:/);
    expect(() => loadConfig({ PARLEY_ICE_SERVERS: 'turn:user:pass@turn.example.com' })).toThrow(
      /is not a stun:/,
    );
    expect(() => loadConfig({ PARLEY_ICE_SERVERS: 'turn:turn.example.com' })).toThrow(
      /set PARLEY_TURN_SECRET/,
    );
    expect(() =>
      loadConfig({ PARLEY_ICE_SERVERS: 'turn:turn.example.com', PARLEY_TURN_SECRET: 'short' }),
    ).toThrow(/at least 32 characters/);
    expect(() => loadConfig({ PARLEY_TURN_TTL_SECONDS: '0' })).toThrow(/PARLEY_TURN_TTL_SECONDS/);
    expect(() => loadConfig({ PARLEY_TURN_TTL_SECONDS: '604800' })).toThrow(/PARLEY_TURN_TTL_SECONDS/);
  });

  it('makes TURN REST credentials: <expiry>:<id> and base64(HMAC-SHA1(secret, username)), never the secret', () => {
    const config = loadConfig({
      PARLEY_ICE_SERVERS: 'stun:turn.example.com,turn:turn.example.com:3478',
      PARLEY_TURN_SECRET: SECRET,
      PARLEY_TURN_TTL_SECONDS: '300',
    }).calls;
    const realNow = clock.now;
    clock.now = () => 1_800_000_000_000;
    try {
      const [stun, turn] = iceServersFor(config, 'visitor-1');
      expect(stun).toEqual({ urls: ['stun:turn.example.com'] });
      expect(turn?.username).toBe(`${1_800_000_000 + 300}:visitor-1`);
      expect(turn?.credential).toBe(
        createHmac('sha1', SECRET)
          .update(`${1_800_000_000 + 300}:visitor-1`)
          .digest('base64'),
      );
      expect(JSON.stringify(turn)).not.toContain(SECRET);
    } finally {
      clock.now = realNow;
    }
    // Without TURN servers nothing is made from the secret.
    expect(iceServersFor({ ...config, turnUrls: [] }, 'x')).toEqual([{ urls: ['stun:turn.example.com'] }]);
  });
});
