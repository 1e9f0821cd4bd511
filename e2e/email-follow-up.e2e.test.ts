import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAgent, createWidget, http, setupAdmin, type TestAgent } from '../test/support/clients.js';
import { type SmtpInbox, startSmtpInbox } from '../test/support/smtp-inbox.js';
import {
  createTestDatabase,
  startTestServer,
  type TestDatabase,
  type TestServer,
} from '../test/support/test-server.js';
import { axeViolations, describeViolations } from './support/axe.js';
import { BROWSER_TEST_TIMEOUT_MS, hasChromium, launchChromium } from './support/browser.js';
import { messagesOn, signInOn } from './support/browser-stage.js';
import { type HostPage, shopPage, startHostPage } from './support/host-page.js';
import { heightFor, WIDTHS } from './support/layout.js';

const EMAIL = 'lead.person@example.com';

/**
 * Email in real Chromium, with mail going through a real SMTP server started here: a visitor on a
 * shop of another origin asks for their transcript from the widget; an operator, whose role masks
 * the visitor's address, follows the lead up by email from the conversation, with the keyboard;
 * the visitor stops the mails from the link in one.
 */
describe.skipIf(!hasChromium)(
  'email follow-up and transcript in Chromium',
  { timeout: BROWSER_TEST_TIMEOUT_MS * 2 },
  () => {
    let database: TestDatabase;
    let server: TestServer;
    let inbox: SmtpInbox;
    let shop: HostPage;
    let browser: Browser;
    let admin: TestAgent;

    beforeAll(async () => {
      inbox = await startSmtpInbox();
      database = await createTestDatabase('sqlite');
      server = await startTestServer({
        database,
        host: 'localhost',
        env: { PARLEY_SMTP_URL: inbox.url, PARLEY_SMTP_INBOUND_DOMAIN: 'reply.parley.test' },
      });
      admin = await setupAdmin(server);
      shop = await startHostPage();
      browser = await launchChromium();
    });
    afterAll(async () => {
      await browser?.close();
      await shop?.close();
      await server?.close();
      await inbox?.close();
      await database?.drop();
    });

    const shoot = async (page: Page, name: string) => {
      for (const width of WIDTHS) {
        await page.setViewportSize({ width, height: heightFor(width) });
        await page.screenshot({ path: `test-results/${name}-${width}.png` });
      }
      await page.setViewportSize({ width: 1280, height: 800 });
    };

    it('mails the transcript from the widget, and an operator follows up by email without the address', async () => {
      const widget = await createWidget(server, admin, [shop.origin], 'Hi! How can we help?');
      const operator = await addAgent(server, admin.workspaceId, 'operator', 'op@example.com');
      const snippet = `<script src="${server.url}/widget.js" data-parley-widget="${widget.id}" async></script>`;
      shop.set('/', shopPage(snippet), `script-src 'self' ${server.origin}; frame-src ${server.origin}`);
      const visitor = await (await browser.newContext()).newPage();
      await visitor.goto(shop.origin);
      await visitor.locator('#parley-launcher').click();
      const chat = visitor.frameLocator('#parley-frame');
      await expect.poll(() => messagesOn(chat).first().textContent()).toContain('How can we help');

      // Without an address yet, the widget says so in words.
      await chat.getByTestId('transcript-request-button').click();
      await expect
        .poll(() => chat.getByTestId('transcript-request-status').textContent())
        .toContain('We have no email address for you');

      await chat.getByTestId('composer').fill('Please send me the offer for 20 seats.');
      await chat.getByTestId('send').click();
      // The visitor left their email (as a form or the bot's email step records it).
      const ws = `/api/v1/workspaces/${admin.workspaceId}`;
      const list = await http(server, 'GET', `${ws}/conversations`, { cookie: admin.cookie });
      const conversation = list.body.items[0] as { id: string; visitor: { id: string } };
      const saved = await http(server, 'PATCH', `${ws}/visitors/${conversation.visitor.id}`, {
        cookie: admin.cookie,
        body: { email: EMAIL },
      });
      expect(saved.status).toBe(200);

      await chat.getByTestId('transcript-request-button').click();
      await expect
        .poll(() => chat.getByTestId('transcript-request-status').textContent())
        .toContain('Sent to the email address you gave us.');
      const transcript = await inbox.waitFor((m) => m.parsed.subject === 'Your conversation transcript');
      expect(transcript.to).toEqual([EMAIL]);
      expect(transcript.parsed.text).toContain('Please send me the offer for 20 seats.');
      await shoot(visitor, 'email-widget-transcript');
      const frame = visitor.frames().find((f) => f !== visitor.mainFrame()) as Frame;
      const widgetViolations = await axeViolations(frame);
      expect(widgetViolations, describeViolations('widget', widgetViolations)).toEqual([]);

      // The operator: the address is masked for their role, and the follow-up goes without it.
      const desk = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
      await signInOn(desk, server, operator.me.user.email);
      await desk.goto(`${server.url}/inbox/${conversation.id}`);
      const section = desk.getByTestId('email-follow-up');
      const input = desk.getByTestId('email-follow-up-input');
      // Keyboard only: open the fold, type, Tab to the button, Enter.
      const summary = desk.getByTestId('email-follow-up-summary');
      await expect.poll(() => summary.count(), { timeout: 15_000 }).toBe(1);
      await summary.focus();
      await desk.keyboard.press('Enter');
      await expect.poll(() => input.isVisible()).toBe(true);
      await input.focus();
      await desk.screenshot({ path: 'test-results/email-debug-before-type.png' });
      await desk.keyboard.type('Here is the offer: 20 seats at the yearly price, valid until Friday.');
      await desk.keyboard.press('Tab');
      expect(await desk.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
        'email-follow-up-send',
      );
      await desk.keyboard.press('Enter');
      await expect
        .poll(() => section.getByTestId('email-follow-up-status').textContent())
        .toContain('on its way by email');
      const followUp = await inbox.waitFor((m) => m.parsed.subject === 'A reply to your conversation');
      expect(followUp.to).toEqual([EMAIL]);
      expect(followUp.parsed.text).toContain('20 seats at the yearly price');
      await expect
        .poll(() => messagesOn(desk).last().textContent())
        .toContain('20 seats at the yearly price');
      expect(await desk.content()).not.toContain(EMAIL);
      await shoot(desk, 'email-follow-up-dashboard');
      const deskViolations = await axeViolations(desk);
      expect(deskViolations, describeViolations('dashboard', deskViolations)).toEqual([]);

      // The visitor stops the mails from the link; the operator then sees why none can go.
      const link = /https?:\/\/\S+\/unsubscribe#token=[A-Za-z0-9_.-]+/.exec(followUp.parsed.text ?? '')?.[0];
      expect(link).toBeDefined();
      const stop = await (await browser.newContext({ viewport: { width: 375, height: 667 } })).newPage();
      await stop.goto(link as string);
      await stop.getByTestId('unsubscribe-confirm').click();
      await expect.poll(() => stop.getByTestId('unsubscribe-done').textContent()).toContain('no more email');
      await shoot(stop, 'email-unsubscribed');
      const stopViolations = await axeViolations(stop);
      expect(stopViolations, describeViolations('unsubscribe', stopViolations)).toEqual([]);
      await desk.reload();
      await expect
        .poll(() => desk.getByTestId('email-unavailable').textContent(), { timeout: 15_000 })
        .toContain('unsubscribed');
    });
  },
);
