import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addAgent, http, PASSWORD } from '../../../test/support/clients.js';
import { type Scenario, startScenario } from '../../../test/support/scenario.js';
import { DIALECTS } from '../../../test/support/services.js';
import { clock } from '../../platform/clock.js';
import { THROTTLE_POLICIES } from './throttle.js';

describe.each(DIALECTS)('sign-in throttling and lockout (%s)', (dialect) => {
  let s: Scenario;
  let offset = 0;
  const realNow = clock.now;
  beforeEach(async () => {
    s = await startScenario(dialect);
    await addAgent(s.server, s.admin.workspaceId, 'operator', 'real@example.com');
    offset = 0;
    clock.now = () => realNow() + offset;
  });
  afterEach(async () => {
    clock.now = realNow;
    await s.close();
  });

  const attempt = async (email: string, password = 'wrong password here') => {
    const res = await http(s.server, 'POST', '/api/v1/auth/login', { body: { email, password } });
    return { status: res.status, code: res.body?.error?.code ?? 'ok', retry: res.headers.get('retry-after') };
  };

  it('slows down, then locks out, exactly alike for a real and a made-up account', async () => {
    const seen: Record<string, string[]> = { 'real@example.com': [], 'made.up@example.com': [] };
    for (const email of Object.keys(seen)) {
      offset = 0;
      // Both runs come from one address; start each with a clean per-address count.
      await s.server.db.db.deleteFrom('auth_throttles').where('key', 'like', 'login:ip:%').execute();
      for (let i = 0; i < 40; i++) {
        const r = await attempt(email);
        seen[email]?.push(`${r.status} ${r.code} ${r.retry ?? '-'}`);
        if (r.retry === '900') break;
        if (r.status === 429) offset += Number(r.retry) * 1000; // wait the delay out
      }
    }
    expect(seen['real@example.com']).toEqual(seen['made.up@example.com']);
    const real = seen['real@example.com'] ?? [];
    // The first failures answer at once; then delays grow; finally a 15-minute lockout.
    expect(real.slice(0, THROTTLE_POLICIES.account.free)).toEqual(
      Array(THROTTLE_POLICIES.account.free).fill('401 invalid_credentials -'),
    );
    expect(real).toContain('429 too_many_attempts 2');
    expect(real).toContain('429 too_many_attempts 4');
    expect(real.at(-1)).toBe('429 too_many_attempts 900');
  });

  it('a locked-out account refuses even the right password until the lockout ends', async () => {
    for (let i = 0; i < THROTTLE_POLICIES.account.lockoutAt; i++) {
      const r = await attempt('real@example.com');
      if (r.status === 429) {
        offset += Number(r.retry) * 1000;
        i--;
      }
    }
    expect((await attempt('real@example.com', PASSWORD)).code).toBe('too_many_attempts');
    offset += 14 * 60_000;
    expect((await attempt('real@example.com', PASSWORD)).code).toBe('too_many_attempts');
    offset += 60_000 + 1000;
    expect((await attempt('real@example.com', PASSWORD)).code).toBe('ok');
  });

  it('one address guessing many accounts is throttled by address', async () => {
    let blocked = 0;
    for (let i = 0; i < THROTTLE_POLICIES.ip.free + 1; i++) {
      const r = await attempt(`user${i}@example.com`);
      if (r.status === 429) blocked++;
    }
    expect(blocked).toBe(0);
    // The address is now delayed for every account, including one never tried before.
    const r = await attempt('fresh@example.com');
    expect([r.status, r.code]).toEqual([429, 'too_many_attempts']);
  });

  it('password-reset requests count against the same kind of limits without revealing accounts', async () => {
    const results: string[] = [];
    for (const email of ['real@example.com', 'made.up@example.com']) {
      for (let i = 0; i < THROTTLE_POLICIES.account.free + 2; i++) {
        const res = await http(s.server, 'POST', '/api/v1/auth/password-reset', { body: { email } });
        results.push(`${email}:${res.status}`);
      }
    }
    const real = results.filter((r) => r.startsWith('real')).map((r) => r.split(':')[1]);
    const fake = results.filter((r) => r.startsWith('made')).map((r) => r.split(':')[1]);
    expect(real).toEqual(fake);
    expect(real.at(-1)).toBe('429');
  });
});
