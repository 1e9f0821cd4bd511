import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WS_PROTOCOL } from '../protocol/ws-close-codes.js';
import { clock } from '../server/platform/clock.js';
import { addAgent, openSocket, PASSWORD, setupAdmin, type TestAgent } from '../test/support/clients.js';
import { totpCode } from '../test/support/mfa.js';
import {
  createTestDatabase,
  startTestServer,
  type TestDatabase,
  type TestServer,
} from '../test/support/test-server.js';
import { BROWSER_TEST_TIMEOUT_MS, hasChromium, launchChromium } from './support/browser.js';

const STEP_MS = 30_000;

/**
 * Sign-in with second factors in real Chromium: an authenticator app (TOTP) set up from the QR
 * screen, passkeys through Chromium's virtual authenticator (WebAuthn over CDP), and a workspace
 * policy that holds a new sign-in at enrollment until a factor is set up.
 */
describe.skipIf(!hasChromium)('second factors in Chromium', { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
  let database: TestDatabase;
  let server: TestServer;
  let browser: Browser;
  let admin: TestAgent;
  let adminSecret = '';
  const realNow = clock.now;
  // The server's clock is frozen and moved one TOTP step at a time, so every code is fresh.
  let frozen = Math.floor(Date.now() / STEP_MS) * STEP_MS + STEP_MS / 2;
  const nextStep = () => {
    frozen += STEP_MS;
    clock.now = () => frozen;
  };
  const cspViolations: string[] = [];

  beforeAll(async () => {
    clock.now = () => frozen;
    database = await createTestDatabase('sqlite');
    // WebAuthn needs a secure context and a domain as RP ID: http://localhost is both.
    server = await startTestServer({ database, host: 'localhost' });
    admin = await setupAdmin(server, undefined, 'ada@acme.example');
    await addAgent(server, admin.workspaceId, 'operator', 'olga@acme.example');
    await addAgent(server, admin.workspaceId, 'operator', 'omar@acme.example');
    browser = await launchChromium();
  });
  afterAll(async () => {
    clock.now = realNow;
    await browser?.close();
    await server?.close();
    await database?.drop();
  });

  async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext();
    // Fail with a message well before the test's own timeout.
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
    return { context, page };
  }
  async function passwordStep(page: Page, email: string) {
    await page.goto(`${server.url}/login`);
    await page.getByTestId('login-email').fill(email);
    await page.getByTestId('login-password').fill(PASSWORD);
    await page.getByTestId('login-submit').click();
  }
  async function sessionId(context: BrowserContext): Promise<string> {
    const cookie = (await context.cookies()).find((c) => c.name === '__Host-parley_session');
    return cookie?.value ?? '';
  }
  async function setUpTotp(page: Page): Promise<string> {
    const qr = page.getByTestId('totp-qr');
    await qr.waitFor();
    // Drawn as SVG rectangles from the module matrix, no image URL.
    expect(await qr.locator('rect').count()).toBeGreaterThan(50);
    await page.getByText('Can’t scan it? Enter this key instead').click();
    const secret = ((await page.getByTestId('totp-secret').textContent()) ?? '').replace(/\s/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await page.getByTestId('totp-code').fill(totpCode(secret));
    await page.getByTestId('totp-confirm').click();
    const codes = page.getByTestId('recovery-codes').locator('li');
    await codes.first().waitFor();
    expect(await codes.count()).toBe(10);
    await page.getByTestId('recovery-done').click();
    return secret;
  }

  it('password + TOTP: sets up the authenticator app from the QR code, then signs in with a code', async () => {
    const { context, page } = await newPage();
    await passwordStep(page, 'ada@acme.example');
    await page.waitForURL(/\/inbox/);
    await page.getByRole('link', { name: 'Account' }).click();
    await page.getByTestId('account-security-link').click();
    await page.getByTestId('totp-setup').click();
    adminSecret = await setUpTotp(page);
    await page.getByTestId('totp-on').waitFor();
    expect(await page.getByTestId('totp-on').textContent()).toContain('10 of 10 recovery codes left');

    await page.getByTestId('sign-out').click();
    await page.waitForURL(/\/login/);
    nextStep();
    await passwordStep(page, 'ada@acme.example');
    await page.waitForURL(/\/sign-in\/verify/);
    const held = await sessionId(context);
    // Nothing else is reachable before the second factor: the inbox sends the browser back here.
    await page.goto(`${server.url}/inbox`);
    await page.waitForURL(/\/sign-in\/verify/);
    await page.getByTestId('mfa-code').fill(totpCode(adminSecret));
    await page.getByTestId('mfa-submit').click();
    await page.waitForURL(/\/inbox/);
    await page.getByRole('heading', { name: 'Open conversations' }).waitFor();
    const full = await sessionId(context);
    expect(full).not.toBe('');
    expect(full).not.toBe(held);
    await context.close();
  });

  it('passkey: registers one in the virtual authenticator, then signs in without a password', async () => {
    const { context, page } = await newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    await passwordStep(page, 'olga@acme.example');
    await page.waitForURL(/\/inbox/);
    await page.goto(`${server.url}/account/security`);
    await page.getByTestId('passkey-name').fill('Laptop');
    await page.getByTestId('passkey-add').click();
    await page.getByTestId('passkey-row-name').filter({ hasText: 'Laptop' }).waitFor();
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    expect(credentials).toHaveLength(1);
    expect(credentials[0]?.isResidentCredential).toBe(true);

    await page.getByRole('button', { name: 'Rename' }).click();
    await page.getByTestId('passkey-rename-input').fill('Work laptop');
    await page.getByTestId('passkey-rename-save').click();
    await page.getByTestId('passkey-row-name').filter({ hasText: 'Work laptop' }).waitFor();

    await page.getByTestId('sign-out').click();
    await page.waitForURL(/\/login/);
    const before = await sessionId(context);
    await page.getByTestId('login-passkey').click();
    await page.waitForURL(/\/inbox/);
    await page.getByRole('heading', { name: 'Open conversations' }).waitFor();
    expect(await sessionId(context)).not.toBe(before);

    // After a password, the same passkey serves as the second factor.
    await page.getByTestId('sign-out').click();
    await page.waitForURL(/\/login/);
    await passwordStep(page, 'olga@acme.example');
    await page.waitForURL(/\/sign-in\/verify/);
    await page.getByTestId('mfa-passkey').click();
    await page.waitForURL(/\/inbox/);
    await page.getByRole('heading', { name: 'Open conversations' }).waitFor();

    // Eleven minutes on, removing the passkey asks for fresh proof. The passkey step-up replaces
    // the session; the dashboard reconnects with the new one instead of signing the person out.
    frozen += 11 * 60_000;
    await page.getByRole('link', { name: 'Account' }).click();
    await page.getByTestId('account-security-link').click();
    await page.getByTestId('passkey-remove').click();
    await page.getByTestId('step-up').waitFor();
    const beforeStepUp = await sessionId(context);
    await page.getByTestId('step-up-passkey').click();
    await page.getByText('Removed the passkey “Work laptop”.').waitFor();
    expect(await sessionId(context)).not.toBe(beforeStepUp);
    await page.getByRole('link', { name: 'Inbox' }).click();
    await page.getByRole('heading', { name: 'Open conversations' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/inbox');
    await context.close();
  });

  it('forced MFA: a covered sign-in lands on enrollment, and nothing else answers until it is done', async () => {
    const adminSide = await newPage();
    nextStep();
    await passwordStep(adminSide.page, 'ada@acme.example');
    await adminSide.page.waitForURL(/\/sign-in\/verify/);
    await adminSide.page.getByTestId('mfa-code').fill(totpCode(adminSecret));
    await adminSide.page.getByTestId('mfa-submit').click();
    await adminSide.page.waitForURL(/\/inbox/);
    await adminSide.page.getByRole('link', { name: 'Security' }).click();
    await adminSide.page.getByTestId('policy-role-operator').check();
    await adminSide.page.getByTestId('policy-save').click();
    await adminSide.page.getByText('Saved.').waitFor();
    await adminSide.context.close();

    const { context, page } = await newPage();
    await passwordStep(page, 'omar@acme.example');
    await page.waitForURL(/\/sign-in\/enroll/);
    const held = await sessionId(context);
    const api = await page.evaluate(async (path) => {
      const res = await fetch(path, { headers: { accept: 'application/json' } });
      return { status: res.status, code: (await res.json()).error?.code };
    }, `/api/v1/workspaces/${admin.workspaceId}/conversations`);
    expect(api).toEqual({ status: 403, code: 'mfa_enrollment_required' });
    const socket = await page.evaluate(
      (protocol) =>
        new Promise<string>((resolve) => {
          const ws = new WebSocket(`ws://${location.host}/ws`, [protocol]);
          ws.onopen = () => resolve('open');
          ws.onerror = () => resolve('refused');
        }),
      WS_PROTOCOL,
    );
    expect(socket).toBe('refused');
    await expect(
      openSocket(server, { protocols: [WS_PROTOCOL], cookie: `__Host-parley_session=${held}` }),
    ).rejects.toMatchObject({ status: 403, body: expect.stringContaining('mfa_enrollment_required') });
    await page.goto(`${server.url}/widgets`);
    await page.waitForURL(/\/sign-in\/enroll/);

    await page.getByTestId('enroll-totp').click();
    nextStep();
    await setUpTotp(page);
    // Back to where the operator was going, now with a complete (and new) session.
    await page.waitForURL(/\/widgets$/);
    await page.getByRole('heading', { name: 'Widgets' }).waitFor();
    expect(await sessionId(context)).not.toBe(held);
    expect(cspViolations).toEqual([]);
    await context.close();
  });
});
