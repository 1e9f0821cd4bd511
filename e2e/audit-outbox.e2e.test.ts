import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAuditEvent } from '../server/modules/audit/record-audit-event.js';
import { createSetupLink } from '../server/modules/auth/create-setup-link.js';
import { addAgent, http, PASSWORD } from '../test/support/clients.js';
import {
  createTestDatabase,
  startTestServer,
  type TestDatabase,
  type TestServer,
} from '../test/support/test-server.js';
import { BROWSER_TEST_TIMEOUT_MS, hasChromium, launchChromium } from './support/browser.js';

// Markup in a name must arrive on screen as the characters typed, never as elements.
const WORKSPACE = 'Acme <img src=x id=injected onerror=alert(1)> Support';
const ADMIN_EMAIL = 'admin@example.com';
const SUPERVISOR_EMAIL = 'sam@example.com';

/**
 * The embedded default (no mail server): invitations land in the outbox, which administrators read in
 * the dashboard as text. Supervisors see the team but not the outbox; administrators disable, enable
 * and delete members. The audit log viewer filters and pages back through a long log.
 */
describe.skipIf(!hasChromium)(
  'outbox and audit log in Chromium',
  { timeout: BROWSER_TEST_TIMEOUT_MS },
  () => {
    let database: TestDatabase;
    let server: TestServer;
    let browser: Browser;
    let admin: Page;
    let workspaceId = '';
    let adminId = '';
    const dialogs: string[] = [];

    const signIn = async (email: string): Promise<Page> => {
      const page = await (await browser.newContext()).newPage();
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      await page.goto(`${server.url}/login`);
      await page.getByTestId('login-email').fill(email);
      await page.getByTestId('login-password').fill(PASSWORD);
      await page.getByTestId('login-submit').click();
      await page.waitForURL(/\/inbox$/);
      return page;
    };
    const rows = (page: Page) => page.getByTestId('audit-row');
    const seqs = async (page: Page) =>
      (await rows(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-seq')))).map(Number);

    beforeAll(async () => {
      database = await createTestDatabase('sqlite');
      server = await startTestServer({ database, host: 'localhost' });
      const link = await createSetupLink({ db: server.db.db, config: server.config });
      const token = new URL(link?.url ?? '').hash.replace('#token=', '');
      const setup = await http(server, 'POST', '/api/v1/setup', {
        body: { token, email: ADMIN_EMAIL, name: 'Ada Admin', password: PASSWORD, workspaceName: WORKSPACE },
      });
      expect(setup.status).toBe(201);
      workspaceId = setup.body.workspace.id;
      adminId = setup.body.user.id;
      await addAgent(server, workspaceId, 'supervisor', SUPERVISOR_EMAIL);
      browser = await launchChromium();
      admin = await signIn(ADMIN_EMAIL);
    });
    afterAll(async () => {
      await browser?.close();
      await server?.close();
      await database?.drop();
    });

    it('an invitation without a mail server goes to the outbox, shown as plain text', async () => {
      await admin.getByRole('link', { name: 'Team' }).click();
      await admin.getByTestId('invite-email').fill('lin@acme.example');
      await admin.getByTestId('invite-role').selectOption('supervisor');
      await admin.getByTestId('invite-send').click();
      const delivery = admin.getByTestId('invite-delivery');
      await delivery.waitFor();
      expect(await delivery.getAttribute('data-delivery')).toBe('outbox');

      await delivery.getByRole('link', { name: 'outbox' }).click();
      await admin.waitForURL(/\/outbox$/);
      const mail = admin.locator('[data-testid="outbox-mail"][data-to="lin@acme.example"]');
      await mail.waitFor();
      expect(await mail.locator('h2').textContent()).toBe(`You are invited to ${WORKSPACE} on Parley`);
      const body = (await mail.locator('pre').textContent()) ?? '';
      expect(body).toContain(`You have been invited to join ${WORKSPACE} on Parley as supervisor.`);
      expect(body).toMatch(new RegExp(`${server.url}/invite#token=[A-Za-z0-9_-]+`));
      expect(await admin.locator('#injected').count()).toBe(0);
      expect(await admin.getByTestId('outbox-smtp').count()).toBe(0);
      expect(dialogs).toEqual([]);
    });

    it('a supervisor sees Team and Audit log but not the outbox, and the server refuses it anyway', async () => {
      const supervisor = await signIn(SUPERVISOR_EMAIL);
      await supervisor.locator('nav[aria-label="Main"] a', { hasText: 'Account' }).waitFor();
      const nav = await supervisor.locator('nav[aria-label="Main"] a').allTextContents();
      expect(nav).toEqual([
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
      await supervisor.goto(`${server.url}/outbox`);
      await supervisor.getByRole('alert').waitFor();
      expect(await supervisor.getByTestId('outbox-mail').count()).toBe(0);
      await supervisor.context().close();
    });

    it('the administrator disables, enables and then deletes a member from the Team screen', async () => {
      const supervisor = await signIn(SUPERVISOR_EMAIL);
      await admin.goto(`${server.url}/team`);
      const row = `[data-testid="member-row"][data-email="${SUPERVISOR_EMAIL}"]`;
      await admin.locator(row).getByTestId('member-toggle-disabled').click();
      await admin.locator(`${row}[data-disabled="true"]`).waitFor();
      // Disabling ends the member's open dashboard, and signing in again is refused.
      await supervisor.waitForURL(/\/login/);
      await supervisor.getByTestId('login-email').fill(SUPERVISOR_EMAIL);
      await supervisor.getByTestId('login-password').fill(PASSWORD);
      await supervisor.getByTestId('login-submit').click();
      await supervisor.getByRole('alert').waitFor();
      expect(new URL(supervisor.url()).pathname).toBe('/login');

      await admin.locator(row).getByTestId('member-toggle-disabled').click();
      await admin.locator(`${row}[data-disabled="false"]`).waitFor();

      await admin.locator(row).getByTestId('member-delete').click();
      await admin.locator(row).getByTestId('member-delete-confirm').click();
      await expect.poll(() => admin.locator(row).count()).toBe(0);
      expect(await admin.getByTestId('team-outcome').textContent()).toContain(
        'was removed from the workspace',
      );
      await supervisor.context().close();
    });

    it('the audit log shows the newest entries first, filters by action and date, and loads older pages', async () => {
      for (let i = 0; i < 60; i++) {
        await recordAuditEvent(server.db.db, {
          workspaceId,
          actor: { type: 'user', id: adminId },
          action: 'auth.login.failed',
          target: { type: 'user', id: adminId },
          ip: '203.0.113.7',
          details: { attempt: i },
        });
      }
      await admin.getByRole('link', { name: 'Audit log' }).click();
      await rows(admin).first().waitFor();
      // Unfiltered, the newest entry is the last failure recorded.
      expect(await rows(admin).first().getAttribute('data-action')).toBe('auth.login.failed');
      expect(await rows(admin).first().textContent()).toContain('attempt: 59');

      await admin.getByTestId('audit-action').fill('auth.login.failed');
      await admin.getByTestId('audit-actor').selectOption({ label: `Ada Admin (${ADMIN_EMAIL})` });
      await admin.getByTestId('audit-apply').click();
      await expect
        .poll(async () => (await rows(admin).allTextContents()).every((t) => t.includes('auth.login.failed')))
        .toBe(true);
      await expect.poll(() => rows(admin).count()).toBe(50);

      await admin.getByTestId('audit-older').click();
      await expect.poll(() => rows(admin).count()).toBe(60);
      const all = await seqs(admin);
      expect(all).toEqual([...all].sort((a, b) => b - a));
      expect(new Set(all).size).toBe(60);
      await admin.getByText('No older entries.').waitFor();

      // Today (in the browser's time zone) holds all of them; from tomorrow on, nothing.
      const today = await admin.evaluate(() => new Date().toLocaleDateString('sv'));
      const tomorrow = await admin.evaluate(() => {
        const d = new Date();
        d.setDate(d.getDate() + 1);
        return d.toLocaleDateString('sv');
      });
      await admin.getByTestId('audit-from').fill(today);
      await admin.getByTestId('audit-to').fill(today);
      await admin.getByTestId('audit-apply').click();
      await expect.poll(() => rows(admin).count()).toBe(50);
      await admin.getByTestId('audit-from').fill(tomorrow);
      await admin.getByTestId('audit-to').fill('');
      await admin.getByTestId('audit-apply').click();
      await admin.getByText('Nothing in the audit log matches these filters.').waitFor();
      expect(await rows(admin).count()).toBe(0);
    });
  },
);
