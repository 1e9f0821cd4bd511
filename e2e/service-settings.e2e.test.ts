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
import { BROWSER_TEST_TIMEOUT_MS, hasChromium } from './support/browser.js';
import { type BrowserStage, messagesOn, signInOn, startBrowserStage } from './support/browser-stage.js';

/**
 * The customer-service settings in real Chromium: an administrator builds a team, puts an operator in
 * it, routes the widget to it, sets the operator's capacity, adds a resolution code and a canned
 * response. The operator then gets the routed query, answers with the canned response and resolves it
 * with the new code; the report counts it. Operators see neither screen.
 */
describe.skipIf(!hasChromium)('service settings in Chromium', { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
  let stage: BrowserStage;
  let server: TestServer;
  let browser: Browser;
  let admin: TestAgent;
  let ana: TestAgent;
  let visitor: Probe | undefined;
  const ws = () => `/api/v1/workspaces/${admin.workspaceId}`;
  const get = (agent: TestAgent, path: string) =>
    http(server, 'GET', `${ws()}${path}`, { cookie: agent.cookie });

  beforeAll(async () => {
    stage = await startBrowserStage();
    ({ server, browser, admin } = stage);
    ana = await addAgent(server, admin.workspaceId, 'operator', 'ana@example.com');
  });
  afterAll(async () => {
    visitor?.close();
    await stage?.close();
  });

  const signIn = async (email: string): Promise<Page> => {
    const page = await (await browser.newContext()).newPage();
    await signInOn(page, server, email);
    return page;
  };
  const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' });

  it('an administrator sets up the service; the operator works with it', async () => {
    const widget = await createWidget(server, admin);
    const page = await signIn('admin@example.com');
    await nav(page).getByRole('link', { name: 'Service' }).click();
    await page.waitForURL(/\/settings\/service$/);

    // A team with Ana in it.
    await page.getByTestId('team-new-name').fill('Returns');
    await page.getByTestId('team-add').click();
    const team = page.getByTestId('team');
    await expect.poll(() => team.count()).toBe(1);
    await team.getByRole('checkbox', { name: /ana@example\.com/ }).check();
    await team.getByTestId('team-save').click();
    await expect.poll(() => team.getByRole('status').textContent()).toBe('Saved.');
    const teams = (await get(admin, '/teams')).body.items;
    expect(teams).toEqual([{ id: expect.any(String), name: 'Returns', memberIds: [ana.me.user.id] }]);

    // The widget's handoffs go to that team.
    await page.getByTestId('routing-team').selectOption({ label: 'Returns' });
    await expect.poll(async () => (await get(admin, `/widgets/${widget.id}`)).body.teamId).toBe(teams[0].id);

    // Ana takes at most 5 queries at once.
    const anaRow = page.locator('[data-testid="capacity-row"]', { hasText: 'ana@example.com' });
    await anaRow.getByTestId('capacity-input').fill('5');
    await anaRow.getByTestId('capacity-save').click();
    await expect.poll(() => anaRow.getByRole('status').textContent()).toBe('Saved');
    const agents = (await get(admin, '/agents')).body.items;
    expect(agents.find((a: { id: string }) => a.id === ana.me.user.id)).toMatchObject({
      capacity: 5,
      teamIds: [teams[0].id],
    });

    // A resolution code.
    await page.getByTestId('code-code').fill('damaged');
    await page.getByTestId('code-label').fill('Damaged on arrival');
    await page.getByTestId('code-add').click();
    await expect
      .poll(() => page.getByTestId('resolution-code-item').allTextContents())
      // A new workspace ships with a default set; the new code joins it.
      .toContainEqual(expect.stringContaining('Damaged on arrival'));

    // A canned response: the screen lists the variables; an unknown one is refused with its name.
    await page.getByTestId('canned-new').click();
    const variables = await page.getByTestId('canned-variables').textContent();
    expect(variables).toContain('{visitor.name}');
    expect(variables).toContain('{agent.name}');
    await page.getByTestId('canned-shortcut').fill('sorry');
    await page.getByTestId('canned-title').fill('Apology');
    await page.getByTestId('canned-body').fill('Sorry about order {order.id}.');
    await page.getByTestId('canned-save').click();
    await expect
      .poll(() => page.getByTestId('canned-card').getByRole('alert').textContent())
      .toContain('unknown variable {order.id}');
    await page.getByTestId('canned-body').fill('Sorry about that, {visitor.name}. I am on it. ');
    await page.getByRole('button', { name: '{agent.name}' }).click();
    await page.getByTestId('canned-save').click();
    await expect
      .poll(() => page.getByTestId('canned-item').allTextContents())
      .toEqual([expect.stringContaining('/sorry')]);

    // A visitor writes; the query queues for Returns and goes to Ana, who is online with room.
    const anaPage = await signIn('ana@example.com');
    const session = await startVisitor(server, widget);
    visitor = await connectVisitor(server, session.credential);
    visitor.send({ type: 'subscribe', conversationId: session.conversationId, afterSeq: 0 });
    await visitor.next('subscribed');
    visitor.sendMessage(session.conversationId, 'My vase arrived in pieces');
    await expect
      .poll(() => anaPage.getByTestId('view-mine').textContent(), { timeout: 10_000 })
      .toContain('1');
    const queries = (await get(admin, '/queries?view=all')).body.items;
    expect(queries[0]).toMatchObject({ teamId: teams[0].id, assigneeId: ana.me.user.id });

    // Ana answers with the canned response, its variables filled in, and resolves with the new code.
    await anaPage.getByTestId('view-mine').click();
    await anaPage.getByTestId('conversation-item').first().click();
    await anaPage.getByTestId('reply').fill('/sor');
    await expect
      .poll(() => anaPage.getByTestId('canned-suggestions').textContent())
      .toContain('/sorry · Apology');
    await anaPage.getByTestId('reply').fill('/sorry');
    await anaPage.getByTestId('reply').press('Enter');
    await expect
      .poll(() => anaPage.getByTestId('reply').inputValue())
      .toMatch(/^Sorry about that, .+\. I am on it\. operator ana@example\.com$/);
    expect(await anaPage.getByTestId('reply').inputValue()).not.toContain('{visitor.name}');
    await anaPage.getByTestId('reply').press('Enter');
    await expect.poll(() => messagesOn(anaPage).last().textContent()).toContain('I am on it.');
    const offered = await anaPage.getByTestId('resolution-code').locator('option').allTextContents();
    expect(offered.join('|')).toContain('Damaged on arrival');
    await anaPage.getByTestId('resolution-code').selectOption('damaged');
    await anaPage.getByRole('button', { name: 'Resolve' }).click();
    await expect.poll(() => anaPage.getByTestId('query-panel').getAttribute('data-state')).toBe('resolved');

    // The report counts it.
    await nav(page).getByRole('link', { name: 'Reports' }).click();
    await page.waitForURL(/\/reports$/);
    await page.getByTestId('report-period').selectOption('7');
    await expect.poll(() => page.getByTestId('report-resolution-rate').textContent()).toContain('100%');
    expect(await page.getByTestId('report-resolution-rate').textContent()).toContain('1 resolved');
    // The figure itself has a value (the previous period beside it may rightly have none).
    expect(
      await page.getByTestId('report-first-response').locator('.report-value').textContent(),
    ).not.toContain('—');
    expect(await page.getByTestId('report-csat').textContent()).toContain('0 ratings');
  });

  it('operators see neither screen in the navigation, and the API refuses them', async () => {
    const page = await signIn('ana@example.com');
    await nav(page).getByRole('link', { name: 'Knowledge base' }).waitFor();
    const links = await nav(page).getByRole('link').allTextContents();
    expect(links.join('|')).not.toContain('Service');
    expect(links.join('|')).not.toContain('Reports');
    const as = (method: string, path: string, body: unknown) =>
      http(server, method, `${ws()}${path}`, { cookie: ana.cookie, body });
    expect((await as('POST', '/teams', { name: 'Mine' })).status).toBe(403);
    expect((await as('POST', '/resolution-codes', { code: 'x', label: 'X' })).status).toBe(403);
    expect((await as('PUT', `/agents/${ana.me.user.id}/settings`, { capacity: 50 })).status).toBe(403);
    expect((await get(ana, '/reports/service')).status).toBe(403);
    // Typing the address shows the refusal instead of the settings.
    await page.goto(`${server.url}/settings/service`);
    await expect
      .poll(() => page.getByRole('alert').first().textContent())
      .toContain('You do not have permission to use this page');
  });
});
