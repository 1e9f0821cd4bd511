import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Widget } from '../protocol/api.js';
import { identityHash } from '../server/modules/visitors/verify-identity.js';
import { tokenCall } from '../test/support/api-tokens.js';
import { createWidget, setupAdmin, startVisitor, type TestAgent } from '../test/support/clients.js';
import {
  createTestDatabase,
  startTestServer,
  type TestDatabase,
  type TestServer,
} from '../test/support/test-server.js';
import { BROWSER_TEST_TIMEOUT_MS, hasChromium, launchChromium } from './support/browser.js';
import { signInOn } from './support/browser-stage.js';
import { type HostPage, shopPage, startHostPage } from './support/host-page.js';

/**
 * In real Chromium: an administrator creates an API token (shown once) and revokes it; requires
 * identity on a widget and reads its secret; then one site user on two devices (two browser
 * contexts, two cookie jars) sees one conversation, and nobody else gets in.
 */
describe.skipIf(!hasChromium)(
  'API tokens and identity verification in Chromium',
  { timeout: BROWSER_TEST_TIMEOUT_MS },
  () => {
    let database: TestDatabase;
    let server: TestServer;
    let shop: HostPage;
    let browser: Browser;
    let admin: TestAgent;
    let widget: Widget;
    let adminContext: BrowserContext;
    let dashboard: Page;

    beforeAll(async () => {
      database = await createTestDatabase('sqlite');
      server = await startTestServer({ database, host: 'localhost' });
      shop = await startHostPage();
      browser = await launchChromium();
      admin = await setupAdmin(server);
      widget = await createWidget(server, admin, [shop.origin], 'Hello! Ask us anything.');
      adminContext = await browser.newContext();
      dashboard = await adminContext.newPage();
      dashboard.setDefaultTimeout(10_000);
      await signInOn(dashboard, server, admin.me.user.email);
    });
    afterAll(async () => {
      await browser?.close();
      await shop?.close();
      await server?.close();
      await database?.drop();
    });

    it('creates a token that is shown once, used by a backend, and refused after revoking', async () => {
      const visitor = await startVisitor(server, widget);
      await dashboard.getByRole('link', { name: 'API tokens' }).click();
      await dashboard.waitForURL(/\/api-tokens$/);
      await dashboard.getByTestId('token-new').click();
      await dashboard.getByTestId('token-submit').click();
      await dashboard.getByText('Give the token a name').waitFor();
      await dashboard.getByTestId('token-name').fill('Order system');
      await dashboard.getByTestId('token-scope-conversations:read').check();
      await dashboard.getByTestId('token-scope-messages:write').check();
      await dashboard.getByTestId('token-expiry-30').check();
      await dashboard.getByTestId('token-submit').click();
      const token = await dashboard.getByTestId('token-value').inputValue();
      expect(token).toMatch(/^prt_[a-z0-9]{8}_[A-Za-z0-9_-]{43}$/);
      const secretPart = token.slice(13);

      const messages = `/api/v1/workspaces/${admin.workspaceId}/conversations/${visitor.conversationId}/messages`;
      const sent = await tokenCall(server, token, 'POST', messages, {
        clientId: 'e2e-order-system-0001',
        body: 'Your order has shipped.',
      });
      expect(sent.status).toBe(201);

      // Once dismissed (or after a reload) the token is gone from the page for good.
      await dashboard.getByTestId('token-done').click();
      await dashboard.reload();
      const row = dashboard.getByTestId('token-row');
      await expect.poll(() => row.textContent()).toContain('Order system');
      const text = (await row.textContent()) ?? '';
      expect(text).toContain(token.slice(0, 12));
      expect(text).toContain('conversations:read');
      expect(text).not.toContain('Never'); // expires in 30 days, and it has been used
      expect(await dashboard.content()).not.toContain(secretPart);

      // The operator's inbox shows the message as sent by the token.
      await dashboard.goto(`${server.url}/inbox/${visitor.conversationId}`);
      const last = dashboard.locator('[data-testid="message"]').last();
      await expect.poll(() => last.getAttribute('data-author-kind')).toBe('api');
      expect(await last.textContent()).toContain('Order system');

      await dashboard.goto(`${server.url}/api-tokens`);
      await dashboard.getByTestId('token-revoke').click();
      await dashboard.getByTestId('token-revoke-confirm').click();
      await expect.poll(() => dashboard.getByTestId('token-status').textContent()).toContain('Revoked');
      const refused = await tokenCall(server, token, 'GET', messages);
      expect([refused.status, refused.body.error.code]).toEqual([401, 'token_invalid']);
    });

    it('says on the console when the tag has a user id without its hash, and chats without an identity', async () => {
      shop.set(
        '/half',
        shopPage(
          `<script src="${server.url}/widget.js" data-parley-widget="${widget.id}" data-parley-user-id="user-1" async></script>`,
        ),
      );
      const context = await browser.newContext();
      const page = await context.newPage();
      // The iframe checks the identity the loader passes on as it is, and says what is missing.
      const warned = page.waitForEvent('console', (m) => m.text().includes('identity_incomplete'));
      await page.goto(`${shop.origin}/half`);
      await page.locator('#parley-launcher').click();
      await warned;
      const chat = page.frameLocator('#parley-frame');
      await expect
        .poll(() => chat.getByTestId('message').first().textContent())
        .toContain('Hello! Ask us anything.');
      await context.close();
    });

    it('links one verified user across two devices, and refuses anonymous and forged visitors', async () => {
      await dashboard.goto(`${server.url}/widgets/${widget.id}`);
      await dashboard.getByTestId('widget-edit').click();
      await dashboard.getByTestId('widget-require-identity').check();
      await dashboard.getByTestId('widget-submit').click();
      await expect
        .poll(() => dashboard.getByTestId('widget-require-identity-value').textContent())
        .toBe('Required');
      await dashboard.getByTestId('identity-secret-show').click();
      const secret = await dashboard.getByTestId('identity-secret').inputValue();
      expect(secret).toMatch(/^pws_/);

      // The shop's backend signs its signed-in user into the snippet; the page's CSP allows no inline code.
      const snippet = (userId: string | null, hash?: string) =>
        userId === null
          ? widget.embedSnippet
          : widget.embedSnippet.replace(
              ' async>',
              ` data-parley-user-id="${userId}" data-parley-user-hash="${hash ?? identityHash(secret, userId)}" async>`,
            );
      const csp = `script-src 'self' ${server.origin}; frame-src ${server.origin}`;
      shop.set('/account', shopPage(snippet('customer-42')), csp);
      shop.set('/guest', shopPage(snippet(null)), csp);
      shop.set('/forged', shopPage(snippet('customer-42', identityHash('pws_guessed', 'customer-42'))), csp);

      const openChat = async (path: string) => {
        const context = await browser.newContext();
        const page = await context.newPage();
        await page.goto(`${shop.origin}${path}`);
        await page.locator('#parley-launcher').click();
        return { context, chat: page.frameLocator('#parley-frame') };
      };
      const texts = (chat: ReturnType<Page['frameLocator']>) =>
        chat.locator('[data-testid="message"]').allTextContents();

      const laptop = await openChat('/account');
      await expect
        .poll(() => texts(laptop.chat))
        .toEqual([expect.stringContaining('Hello! Ask us anything.')]);
      await laptop.chat.getByTestId('composer').fill('Sent from my laptop');
      await laptop.chat.getByTestId('send').click();
      await expect.poll(() => texts(laptop.chat)).toHaveLength(2);

      const phone = await openChat('/account');
      await expect
        .poll(() => texts(phone.chat), { timeout: 10_000 })
        .toEqual([
          expect.stringContaining('Hello! Ask us anything.'),
          expect.stringContaining('Sent from my laptop'),
        ]);
      // And live, both ways: the phone's reply reaches the laptop.
      await phone.chat.getByTestId('composer').fill('And this from my phone');
      await phone.chat.getByTestId('send').click();
      await expect
        .poll(() => texts(laptop.chat))
        .toContainEqual(expect.stringContaining('And this from my phone'));

      const guest = await openChat('/guest');
      await expect
        .poll(() => guest.chat.getByTestId('connection-status').textContent())
        .toContain('Sign in on this website to chat with us.');
      const forger = await openChat('/forged');
      await expect
        .poll(() => forger.chat.getByTestId('connection-status').textContent())
        .toContain('could not be verified');
      expect(await texts(guest.chat)).toEqual([]);
      expect(await texts(forger.chat)).toEqual([]);

      for (const c of [laptop, phone, guest, forger]) await c.context.close();
    });
  },
);
