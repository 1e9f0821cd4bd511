import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupAdmin } from '../test/support/clients.js';
import {
  createTestDatabase,
  startTestServer,
  type TestDatabase,
  type TestServer,
} from '../test/support/test-server.js';
import { BROWSER_TEST_TIMEOUT_MS, hasChromium, launchChromium } from './support/browser.js';
import { mailLink, type SmtpCapture, startSmtpCapture } from './support/smtp-capture.js';

const ADMIN = { email: 'admin@example.com', password: 'correct horse battery staple' };
const COLLEAGUE = { email: 'grace@acme.example', name: 'Grace Hopper' };
const FIRST = 'first passphrase of grace, long enough';
const SECOND = 'second passphrase after the reset link';
const THIRD = 'third passphrase set on the account page';

/**
 * Team management in real Chromium, with mail going through a real SMTP server started here: an
 * administrator invites a colleague, the colleague joins from the mailed link, the administrator
 * changes their role, the colleague resets a forgotten password from a mailed link, and manages
 * their sessions on the Account screen.
 */
// Every sign-in hashes with argon2id; on a busy two-core machine a step with several takes seconds.
describe.skipIf(!hasChromium)(
  'team, invitations, password reset and sessions in Chromium',
  { timeout: BROWSER_TEST_TIMEOUT_MS },
  () => {
    let smtp: SmtpCapture;
    let database: TestDatabase;
    let server: TestServer;
    let browser: Browser;
    let admin: Page;
    let grace: BrowserContext;
    const cspViolations: string[] = [];

    const open = async (context?: BrowserContext): Promise<Page> => {
      const page = await (context ?? (await browser.newContext())).newPage();
      page.on('console', (m) => {
        if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
      });
      return page;
    };
    const signIn = async (page: Page, email: string, password: string) => {
      await page.goto(`${server.url}/login`);
      await page.getByTestId('login-email').fill(email);
      await page.getByTestId('login-password').fill(password);
      await page.getByTestId('login-submit').click();
    };
    const memberRow = (page: Page, email: string) =>
      page.locator(`[data-testid="member-row"][data-email="${email}"]`);
    const navLabels = async (page: Page) => {
      // The shell renders the nav once the session is known; wait for it instead of reading too early.
      await page.locator('nav[aria-label="Main"] a', { hasText: 'Account' }).waitFor();
      return page.locator('nav[aria-label="Main"] a').allTextContents();
    };

    beforeAll(async () => {
      smtp = await startSmtpCapture();
      database = await createTestDatabase('sqlite');
      server = await startTestServer({ database, host: 'localhost', env: { PARLEY_SMTP_URL: smtp.url } });
      await setupAdmin(server, undefined, ADMIN.email);
      browser = await launchChromium();
      admin = await open();
      await signIn(admin, ADMIN.email, ADMIN.password);
      await admin.waitForURL(/\/inbox$/);
    });
    afterAll(async () => {
      await browser?.close();
      await server?.close();
      await database?.drop();
      await smtp?.close();
    });

    it('the administrator invites a colleague from the Team screen and the mail goes out over SMTP', async () => {
      await admin.getByRole('link', { name: 'Team' }).click();
      await admin.waitForURL(/\/team$/);
      await expect(memberRow(admin, ADMIN.email).textContent()).resolves.toContain('Active');

      await admin.getByTestId('invite-email').fill(COLLEAGUE.email);
      await admin.getByTestId('invite-role').selectOption('operator');
      await admin.getByTestId('invite-send').click();
      const delivery = admin.getByTestId('invite-delivery');
      await delivery.waitFor();
      expect(await delivery.getAttribute('data-delivery')).toBe('smtp');
      await admin.locator(`[data-testid="invite-row"][data-email="${COLLEAGUE.email}"]`).waitFor();

      const mail = await smtp.waitFor((m) => m.to.includes(COLLEAGUE.email));
      expect(mail.subject).toBe('You are invited to Acme Support on Parley');
      expect(mailLink(mail, '/invite')).toMatch(new RegExp(`^${server.url}/invite#token=`));
    });

    it('the colleague opens the mailed link, chooses a name and password, and lands in the inbox', async () => {
      const mail = await smtp.waitFor((m) => m.to.includes(COLLEAGUE.email));
      grace = await browser.newContext();
      const page = await open(grace);
      await page.goto(mailLink(mail, '/invite'));
      // The one-time token leaves the address bar (and history) as soon as the page has read it.
      await page.waitForFunction(() => window.location.hash === '');
      expect(page.url()).toBe(`${server.url}/invite`);

      await page.getByTestId('invite-name').fill(COLLEAGUE.name);
      await page.getByTestId('invite-password').fill(FIRST);
      await page.getByTestId('invite-password-confirm').fill(FIRST);
      await page.getByTestId('invite-submit').click();
      await page.waitForURL(/\/inbox$/);
      await expect(page.locator('.user-name').textContent()).resolves.toBe(COLLEAGUE.name);
      // An operator has no Widgets, Team, Audit log or Outbox sections: the navigation offers only
      // what the permission matrix lets their role use.
      expect(await navLabels(page)).toEqual(['Inbox', 'Knowledge base', 'Account']);

      // The link works once.
      const again = await open();
      await again.goto(mailLink(mail, '/invite'));
      await again.getByTestId('invite-name').fill('Somebody Else');
      await again.getByTestId('invite-password').fill(FIRST);
      await again.getByTestId('invite-password-confirm').fill(FIRST);
      await again.getByTestId('invite-submit').click();
      await expect(again.getByRole('alert').textContent()).resolves.toContain(
        'invalid, expired or already used',
      );
      await again.context().close();

      await admin.reload();
      await memberRow(admin, COLLEAGUE.email).waitFor();
      expect(await memberRow(admin, COLLEAGUE.email).getAttribute('data-role')).toBe('operator');
      expect(await admin.locator('[data-testid="invite-row"]').count()).toBe(0);
    });

    it('the administrator makes the colleague a supervisor; their open session ends and the new role shows', async () => {
      const page = grace.pages()[0] as Page;
      await memberRow(admin, COLLEAGUE.email).getByTestId('member-role').selectOption('supervisor');
      await expect(admin.getByTestId('team-outcome').textContent()).resolves.toBe(
        `${COLLEAGUE.name} is now supervisor.`,
      );
      await admin
        .locator(`[data-testid="member-row"][data-email="${COLLEAGUE.email}"][data-role="supervisor"]`)
        .waitFor();

      // A role change ends the member's sessions: the open dashboard leaves for the sign-in page.
      await page.waitForURL(/\/login/);
      await signIn(page, COLLEAGUE.email, FIRST);
      await page.waitForURL(/\/inbox$/);
      expect(await navLabels(page)).toEqual([
        'Inbox',
        'Widgets',
        'Knowledge base',
        'Leads',
        'Team',
        'Service',
        'Reports',
        'Audit log',
        'Account',
      ]);

      // Supervisors read the team but change nothing.
      await page.getByRole('link', { name: 'Team' }).click();
      await memberRow(page, ADMIN.email).waitFor();
      expect(await page.getByTestId('invite-email').count()).toBe(0);
      expect(await page.getByTestId('member-role').count()).toBe(0);
      expect(await page.getByTestId('member-delete').count()).toBe(0);

      // The change is in the audit log, found by its action.
      await admin.getByRole('link', { name: 'Audit log' }).click();
      await admin.getByTestId('audit-action').fill('user.role.changed');
      await admin.getByTestId('audit-apply').click();
      const row = admin.locator('[data-testid="audit-row"][data-action="user.role.changed"]');
      await row.waitFor();
      expect(await admin.locator('[data-testid="audit-row"]').count()).toBe(1);
      const text = await row.textContent();
      expect(text).toContain('Ada Admin');
      expect(text).toContain(COLLEAGUE.name);
      expect(text).toContain('from: operator, to: supervisor');
    });

    it('the colleague resets a forgotten password from the mailed link; the old password stops working', async () => {
      const signedIn = grace.pages()[0] as Page;
      const page = await open();
      await page.goto(`${server.url}/login`);
      await page.getByTestId('login-forgot').click();
      await page.waitForURL(/\/forgot-password$/);
      await page.getByTestId('forgot-email').fill(COLLEAGUE.email);
      await page.getByTestId('forgot-submit').click();
      await expect(page.getByTestId('forgot-sent').textContent()).resolves.toContain(
        'If an account uses this address',
      );

      const mail = await smtp.waitFor((m) => m.to.includes(COLLEAGUE.email) && /Reset/.test(m.subject));
      await page.goto(mailLink(mail, '/reset-password'));
      await page.waitForFunction(() => window.location.hash === '');
      await page.getByTestId('reset-password').fill(SECOND);
      await page.getByTestId('reset-password-confirm').fill(SECOND);
      await page.getByTestId('reset-submit').click();
      await expect(page.getByTestId('reset-done').textContent()).resolves.toContain(
        'Sign in with your new password',
      );
      // The reset ended every session, including the one still open in the other browser.
      await signedIn.waitForURL(/\/login/);

      await page.getByTestId('reset-sign-in').click();
      await page.waitForURL(/\/login$/);
      await page.getByTestId('login-email').fill(COLLEAGUE.email);
      await page.getByTestId('login-password').fill(FIRST);
      await page.getByTestId('login-submit').click();
      await expect(page.getByRole('alert').textContent()).resolves.toBe(
        'The email or password is incorrect.',
      );
      expect(new URL(page.url()).pathname).toBe('/login');

      await page.getByTestId('login-password').fill(SECOND);
      await page.getByTestId('login-submit').click();
      await page.waitForURL(/\/inbox$/);
      // Signed out properly, so the next test starts with no session of this browser left over.
      await page.getByTestId('sign-out').click();
      await page.waitForURL(/\/login$/);
      await page.context().close();
    });

    it('on the Account screen the colleague changes the password, revokes a session and signs out everywhere', async () => {
      const laptop = grace.pages()[0] as Page;
      const phone = await open();
      await signIn(laptop, COLLEAGUE.email, SECOND);
      await laptop.waitForURL(/\/inbox$/);
      await signIn(phone, COLLEAGUE.email, SECOND);
      await phone.waitForURL(/\/inbox$/);

      await laptop.getByTestId('account-link').click();
      await laptop.waitForURL(/\/account$/);
      const rows = laptop.getByTestId('session-row');
      await rows.first().waitFor();
      expect(await rows.count()).toBe(2);
      expect(
        await laptop.locator('[data-testid="session-row"][data-current="true"]').textContent(),
      ).toContain('This device');

      // Changing the password keeps this session and ends the others.
      await laptop.getByTestId('password-current').fill(SECOND);
      await laptop.getByTestId('password-new-password').fill(THIRD);
      await laptop.getByTestId('password-new-password-confirm').fill(THIRD);
      await laptop.getByTestId('password-submit').click();
      await laptop.getByTestId('password-changed').waitFor();
      await phone.waitForURL(/\/login/);
      await expect.poll(() => rows.count()).toBe(1);

      // Revoking the phone's session from the list signs the phone out.
      await signIn(phone, COLLEAGUE.email, THIRD);
      await phone.waitForURL(/\/inbox$/);
      await laptop.reload();
      await expect.poll(() => rows.count()).toBe(2);
      await laptop
        .locator('[data-testid="session-row"][data-current="false"]')
        .getByTestId('session-revoke')
        .click();
      await expect.poll(() => rows.count()).toBe(1);
      await phone.waitForURL(/\/login/);

      // "Sign out everywhere" ends every session, this one included.
      await signIn(phone, COLLEAGUE.email, THIRD);
      await phone.waitForURL(/\/inbox$/);
      await laptop.getByTestId('sessions-end-all').click();
      await laptop.getByTestId('sessions-end-all-confirm').click();
      await laptop.waitForURL(/\/login/);
      await phone.waitForURL(/\/login/);
      await laptop.goto(`${server.url}/account`);
      await laptop.waitForURL(/\/login\?next=%2Faccount$/);
    });

    it('the administrator sees that mail goes through SMTP rather than the outbox, and no page broke the CSP', async () => {
      await admin.getByRole('link', { name: 'Outbox' }).click();
      await admin.getByTestId('outbox-smtp').waitFor();
      expect(await admin.getByTestId('outbox-mail').count()).toBe(0);
      expect(cspViolations).toEqual([]);
    });
  },
);
