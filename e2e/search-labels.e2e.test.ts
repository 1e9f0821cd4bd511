import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addAgent,
  connectVisitor,
  createWidget,
  http,
  type Probe,
  startVisitor,
  type TestAgent,
} from '../test/support/clients.js';
import type { TestServer } from '../test/support/test-server.js';
import { axeViolations } from './support/axe.js';
import { BROWSER_TEST_TIMEOUT_MS, hasChromium } from './support/browser.js';
import { type BrowserStage, signInOn, startBrowserStage } from './support/browser-stage.js';

const SHOTS = join(process.cwd(), 'e2e', '.screenshots');

/**
 * Labels and search in real Chromium, with two operators and a visitor: an administrator creates a
 * label; Ana (in the team the widget routes to) labels the visitor's conversation, filters the inbox
 * by the label and finds it by a word of a message; an administrator finds it by the visitor's email;
 * Ben, outside the team, finds nothing, and Ana (no personal-data access) cannot find it by email.
 */
describe.skipIf(!hasChromium)(
  'search and labels in Chromium',
  { timeout: BROWSER_TEST_TIMEOUT_MS * 2 },
  () => {
    let stage: BrowserStage;
    let server: TestServer;
    let browser: Browser;
    let admin: TestAgent;
    let ana: TestAgent;
    let visitor: Probe | undefined;
    const ws = () => `/api/v1/workspaces/${admin.workspaceId}`;
    const api = (method: string, path: string, body?: unknown) =>
      http(server, method, `${ws()}${path}`, {
        cookie: admin.cookie,
        ...(body !== undefined ? { body } : {}),
      });

    beforeAll(async () => {
      mkdirSync(SHOTS, { recursive: true });
      stage = await startBrowserStage();
      ({ server, browser, admin } = stage);
      ana = await addAgent(server, admin.workspaceId, 'operator', 'ana@example.com');
      await addAgent(server, admin.workspaceId, 'operator', 'ben@example.com');
    });
    afterAll(async () => {
      visitor?.close();
      await stage?.close();
    });

    const signIn = async (email: string, width = 1280): Promise<Page> => {
      const page = await (await browser.newContext({ viewport: { width, height: 900 } })).newPage();
      await signInOn(page, server, email);
      return page;
    };
    const items = (page: Page) => page.getByTestId('conversation-item');
    const search = async (page: Page, text: string) => {
      await page.locator('#inbox-search').fill(text);
      await expect.poll(() => page.getByTestId('search-summary').textContent()).toBeTruthy();
    };

    it('labels a conversation, filters by the label, and finds it by a word and by email, within scope', async () => {
      // The widget routes handoffs to a team with Ana in it; Ben is not in it.
      const widget = await createWidget(server, admin);
      const team = await api('POST', '/teams', { name: 'Water sports' });
      await api('PUT', `/teams/${team.body.id}/members`, { userIds: [ana.me.user.id] });
      await api('PUT', `/widgets/${widget.id}/team`, { teamId: team.body.id });

      // An administrator creates a label in the settings.
      const adminPage = await signIn('admin@example.com');
      await adminPage.goto(`${server.url}/settings/service`);
      await adminPage.getByTestId('label-name').fill('Billing');
      await adminPage.getByTestId('label-save').click();
      await expect
        .poll(() => adminPage.getByTestId('label-item').allTextContents())
        .toEqual([expect.stringContaining('Billing')]);
      const labels = (await api('GET', '/labels')).body.items;
      expect(labels).toMatchObject([{ name: 'Billing' }]);
      expect(await axeViolations(adminPage)).toEqual([]);

      // A visitor writes and gives an email; the conversation waits for the team.
      const session = await startVisitor(server, widget);
      visitor = await connectVisitor(server, session.credential);
      visitor.sendMessage(session.conversationId, 'My kayak paddle snapped in two');
      await visitor.next('message.ack');
      const profile = await api('PATCH', `/visitors/${session.visitor.id}`, {
        name: 'Kim Lee',
        email: 'kim.lee@example.org',
      });
      expect(profile.status).toBe(200);

      // Ana opens it and puts the label on it from the header.
      const anaPage = await signIn('ana@example.com');
      await expect.poll(() => items(anaPage).count(), { timeout: 15_000 }).toBe(1);
      await items(anaPage).first().getByRole('link').click();
      await anaPage.getByTestId('label-add').selectOption({ label: 'Billing' });
      await expect
        .poll(() => anaPage.getByTestId('conversation-labels').getByTestId('label-chip').allTextContents())
        .toEqual([expect.stringContaining('Billing')]);
      await expect
        .poll(() => items(anaPage).first().getByTestId('label-chip').allTextContents())
        .toEqual([expect.stringContaining('Billing')]);

      // She filters the inbox by the label, then searches by a word of the message.
      await anaPage.getByTestId('search-filters-toggle').click();
      await anaPage.getByTestId('filter-label').selectOption({ label: 'Billing' });
      await expect.poll(() => anaPage.getByTestId('search-summary').textContent()).toBe('1 found');
      await anaPage.getByRole('button', { name: 'Clear filters' }).click();
      await search(anaPage, 'PADDLE');
      await expect.poll(() => anaPage.getByTestId('search-summary').textContent()).toBe('1 found');
      await expect.poll(() => items(anaPage).count()).toBe(1);
      // The beginning of a word finds it too, as it is typed.
      await search(anaPage, 'snapp');
      await expect.poll(() => anaPage.getByTestId('search-summary').textContent()).toBe('1 found');
      await search(anaPage, 'PADDLE');
      await expect.poll(() => anaPage.getByTestId('search-summary').textContent()).toBe('1 found');
      for (const width of [375, 1280, 1920]) {
        await anaPage.setViewportSize({ width, height: 900 });
        await anaPage.screenshot({ path: join(SHOTS, `search-labels-operator-${width}.png`) });
      }
      await anaPage.setViewportSize({ width: 1280, height: 900 });
      // The parts this feature adds: the search box, its filters, the list rows and the header's labels.
      await anaPage.getByTestId('search-filters-toggle').click();
      expect(await axeViolations(anaPage, ['.inbox-list', '.conversation-header'])).toEqual([]);
      await anaPage.getByTestId('search-filters-toggle').click();
      // Without personal-data access, the visitor's email finds nothing.
      await search(anaPage, 'kim.lee@example.org');
      await expect
        .poll(() => anaPage.getByTestId('search-summary').textContent())
        .toBe('No conversation matches.');

      // An administrator finds it by the visitor's email, typed from the keyboard.
      await adminPage.goto(`${server.url}/inbox`);
      await adminPage.locator('#inbox-search').focus();
      await adminPage.keyboard.type('Kim.Lee@example.org');
      await expect.poll(() => adminPage.getByTestId('search-summary').textContent()).toBe('1 found');
      expect(await items(adminPage).first().getAttribute('data-conversation-id')).toBe(
        session.conversationId,
      );
      await adminPage.keyboard.press('Escape');
      await expect.poll(() => adminPage.locator('#inbox-search').inputValue()).toBe('');

      // The report groups by label.
      await adminPage.goto(`${server.url}/reports`);
      await expect
        .poll(() => adminPage.getByTestId('label-report').locator('tbody tr').allTextContents())
        .toEqual([expect.stringMatching(/^Billing1/)]);
      expect(await axeViolations(adminPage, ['[data-testid="label-report"]'])).toEqual([]);

      // Ben is outside the team: the same search finds nothing.
      const benPage = await signIn('ben@example.com');
      await search(benPage, 'paddle');
      await expect
        .poll(() => benPage.getByTestId('search-summary').textContent())
        .toBe('No conversation matches.');
      expect(await items(benPage).count()).toBe(0);
    });
  },
);
