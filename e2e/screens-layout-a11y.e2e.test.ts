import { mkdirSync, readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAgent, createWidget, http, startVisitor, type TestAgent } from '../test/support/clients.js';
import type { TestServer } from '../test/support/test-server.js';
import { axeViolations, describeViolations } from './support/axe.js';
import { hasChromium } from './support/browser.js';
import { type BrowserStage, messagesOn, signInOn, startBrowserStage } from './support/browser-stage.js';
import type { HostPage } from './support/host-page.js';
import { heightFor, horizontalOverflow, settled, WIDTHS } from './support/layout.js';

/**
 * Every dashboard screen and the widget, at a phone's, a laptop's and a large desktop's width, in
 * real Chromium: nothing scrolls sideways, a phone's inbox leaves the transcript most of the screen,
 * and axe-core finds no accessibility violation. Screenshots land in test-results/screens/ to look at.
 *
 * The list of screens is read from dashboard/src/routes.tsx, so a new screen is visited without
 * anyone remembering to add it here; a path with parameters needs a value below.
 */
const SHOTS = 'test-results/screens';
const ROUTE_PATHS = [...readFileSync('dashboard/src/routes.tsx', 'utf8').matchAll(/path: '([^']+)'/g)].map(
  (m) => m[1] as string,
);
const PUBLIC_PATHS = new Set([
  '/setup',
  '/login',
  '/invite',
  '/forgot-password',
  '/reset-password',
  '/sign-in/verify',
  '/sign-in/enroll',
]);
/** A shop page that is itself accessible, so what axe finds on it is Parley's doing. */
const landmarkedShop = (snippet: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Shop</title></head><body><main><h1>Welcome to the shop</h1><p>Browse our products.</p></main>
${snippet}</body></html>`;
/** A phone's transcript must keep at least this share of the window's height for reading. */
const MIN_TRANSCRIPT_SHARE = 0.45;

describe.skipIf(!hasChromium)('every screen from 375 to 1920 px, and axe-core', { timeout: 300_000 }, () => {
  let stage: BrowserStage;
  let server: TestServer;
  let shop: HostPage;
  let browser: Browser;
  let admin: TestAgent;
  let widgetId = '';
  let conversationId = '';
  let snippetTag = '';

  beforeAll(async () => {
    stage = await startBrowserStage();
    ({ server, shop, browser, admin } = stage);
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => stage?.close());

  const signedIn = async (email: string, width: number): Promise<{ context: BrowserContext; page: Page }> => {
    const context = await browser.newContext({ viewport: { width, height: heightFor(width) } });
    const page = await context.newPage();
    await signInOn(page, server, email);
    return { context, page };
  };

  const concrete = (path: string) =>
    path
      .replace(':conversationId', conversationId)
      .replace(':widgetId', widgetId)
      // No archive exists in a fresh workspace: the screen's "not found" state is what is checked.
      .replace(':archiveId', '00000000-0000-4000-8000-000000000000');

  /** Visits, measures, screenshots and runs axe; returns the problems found, one line each. */
  const check = async (page: Page, name: string, width: number): Promise<string[]> => {
    await settled(page);
    const problems: string[] = [];
    const { excess, culprits } = await horizontalOverflow(page);
    if (excess > 0) problems.push(`${name} @${width}: scrolls ${excess}px sideways (${culprits.join(', ')})`);
    await page.screenshot({ path: `${SHOTS}/${name.replace(/[^a-z0-9]+/gi, '_')}-${width}.png` });
    const violations = await axeViolations(page);
    if (violations.length > 0) problems.push(describeViolations(`${name} @${width}`, violations));
    // People read names and local times, never the raw data behind them.
    const raw = await page.evaluate(() =>
      [...document.body.innerText.matchAll(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}[^\s]*|flow:[0-9a-f-]{36}/g)].map(
        (m) => m[0],
      ),
    );
    if (raw.length > 0) problems.push(`${name} @${width}: shows raw data ${raw.slice(0, 3).join(', ')}`);
    return problems;
  };
  /** Screens with a second state worth checking, reached by one action on the screen. */
  const SECOND_STATES: Record<string, { name: string; open: (page: Page) => Promise<boolean> }> = {
    '/widgets/:widgetId': {
      name: 'flow editor',
      open: async (page) => {
        await page.getByRole('button', { name: 'New flow' }).click();
        await page.getByTestId('flow-editor').waitFor();
        // The long forms of this screen, each whole, to look at.
        const width = page.viewportSize()?.width ?? 0;
        await page.getByTestId('flows-card').screenshot({ path: `${SHOTS}/flow-editor-card-${width}.png` });
        await page.getByTestId('business-hours').screenshot({ path: `${SHOTS}/business-hours-${width}.png` });
        return true;
      },
    },
    // On a phone the sections fold behind Menu: opened, they are a list that fits the width.
    '/inbox': {
      name: 'menu open',
      open: async (page) => {
        const menu = page.getByTestId('menu-button');
        if (!(await menu.isVisible())) return false;
        await menu.click();
        await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Leads' }).waitFor();
        expect(await menu.getAttribute('aria-expanded')).toBe('true');
        return true;
      },
    },
  };

  // Runs first (tests in a file run in order): the data every later check looks at.
  it('a visitor asks for a person in the widget and the operator takes it; every route is known', async () => {
    const ws = `/api/v1/workspaces/${admin.workspaceId}`;
    const widget = await createWidget(server, admin, [shop.origin], 'Hi! Ask me anything.');
    widgetId = widget.id;
    snippetTag = `<script src="${server.url}/widget.js" data-parley-widget="${widget.id}" async></script>`;
    shop.set(
      '/',
      landmarkedShop(snippetTag),
      `script-src 'self' ${server.origin}; frame-src ${server.origin}`,
    );
    await http(server, 'POST', `${ws}/resolution-codes`, {
      cookie: admin.cookie,
      body: { code: 'solved', label: 'Solved' },
    });
    // A flow that asks for an email, and a lead it recorded: the leads screen names the flow.
    const flow = await http(server, 'POST', `${ws}/widgets/${widget.id}/flows`, {
      cookie: admin.cookie,
      body: {
        name: 'Newsletter sign-up',
        trigger: 'quick_reply',
        definition: {
          start: 'ask',
          steps: [{ id: 'ask', kind: 'ask', text: 'Your email?', attribute: 'email' }],
        },
      },
    });
    expect(flow.status).toBe(201);
    const lead = await startVisitor(server, widget);
    const profile = await http(server, 'PUT', '/api/v1/visitor/profile', {
      headers: { authorization: `Bearer ${lead.credential}` },
      body: { email: 'lead@example.com', custom: { 'lead.source': `flow:${flow.body.id}` } },
    });
    expect(profile.status).toBe(200);
    // Ana stays away: the query waits in the queue until she takes it, as an operator's day goes.
    const ana = await addAgent(server, admin.workspaceId, 'operator', 'ana@example.com');
    await http(server, 'PUT', `${ws}/presence`, { cookie: ana.cookie, body: { status: 'away' } });

    // A visitor asks for a person in the real widget, and Ana takes the conversation.
    const visitor = await (await browser.newContext()).newPage();
    await visitor.goto(shop.origin);
    await visitor.locator('#parley-launcher').click();
    const chat = visitor.frameLocator('#parley-frame');
    await expect.poll(() => messagesOn(chat).first().textContent(), { timeout: 20_000 }).toContain('Ask me');
    await chat.getByTestId('composer').fill('My parcel arrived broken, I want to talk to a human');
    await chat.getByTestId('send').click();
    let queryId = '';
    await expect
      .poll(
        async () => {
          const res = await http(server, 'GET', `${ws}/queries?view=queue`, { cookie: ana.cookie });
          queryId = res.body.items?.[0]?.id ?? '';
          conversationId = res.body.items?.[0]?.conversationId ?? '';
          return queryId;
        },
        { timeout: 20_000 },
      )
      .not.toBe('');
    expect(
      (await http(server, 'POST', `${ws}/queries/${queryId}/pick`, { cookie: ana.cookie, body: {} })).status,
    ).toBe(200);
    await visitor.context().close();
    expect(ROUTE_PATHS.length).toBeGreaterThan(20);
    expect(ROUTE_PATHS).toContain('/inbox/:conversationId');
    for (const path of ROUTE_PATHS) expect(concrete(path)).not.toContain(':');
  });

  it('shows the workspace id the API paths need, with a Copy button, on the account and API-token screens', async () => {
    const { context, page } = await signedIn('admin@example.com', 1280);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    for (const path of ['/account', '/api-tokens']) {
      await page.goto(`${server.url}${path}`);
      await expect.poll(() => page.getByTestId('workspace-id').textContent()).toBe(admin.workspaceId);
    }
    await page.getByTestId('workspace-id-copy').click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(admin.workspaceId);
    await context.close();
  });

  for (const width of WIDTHS) {
    it(`every dashboard screen as an administrator at ${width} px`, async () => {
      const problems: string[] = [];
      const { context, page } = await signedIn('admin@example.com', width);
      for (const path of ROUTE_PATHS.filter((p) => !PUBLIC_PATHS.has(p))) {
        await page.goto(`${server.url}${concrete(path)}`);
        await page.locator('main#main').waitFor();
        problems.push(...(await check(page, `admin${path}`, width)));
        const second = SECOND_STATES[path];
        if (second && (await second.open(page))) {
          problems.push(...(await check(page, `admin${path} ${second.name}`, width)));
        }
      }
      await context.close();
      const anonymous = await browser.newContext({ viewport: { width, height: heightFor(width) } });
      const publicPage = await anonymous.newPage();
      for (const path of PUBLIC_PATHS) {
        await publicPage.goto(`${server.url}${path}`);
        await publicPage.locator('h1').first().waitFor();
        problems.push(...(await check(publicPage, `public${path}`, width)));
      }
      await anonymous.close();
      expect(problems.join('\n')).toBe('');
    });

    it(`the operator's inbox with a conversation open at ${width} px`, async () => {
      const { context, page } = await signedIn('ana@example.com', width);
      await page.goto(`${server.url}/inbox/${conversationId}`);
      await expect.poll(() => messagesOn(page).count(), { timeout: 15_000 }).toBeGreaterThan(1);
      const problems = await check(page, 'operator-conversation', width);
      const transcript = await page.locator('.message-scroll').boundingBox();
      const viewport = page.viewportSize();
      if (width < 600 && transcript && viewport && transcript.height < viewport.height * MIN_TRANSCRIPT_SHARE)
        problems.push(
          `operator-conversation @${width}: transcript only ${Math.round(transcript.height)}px of ${viewport.height}px`,
        );
      await context.close();
      expect(problems.join('\n')).toBe('');
    });

    it(`the widget on a shop of another origin at ${width} px`, async () => {
      const context = await browser.newContext({ viewport: { width, height: heightFor(width) } });
      const page = await context.newPage();
      await page.goto(shop.origin);
      await page.locator('#parley-launcher').click();
      const chat = page.frameLocator('#parley-frame');
      await expect
        .poll(() => messagesOn(chat).first().textContent(), { timeout: 20_000 })
        .toContain('Ask me');
      const frame = page.frame({ url: (u) => u.pathname.startsWith('/w/') });
      if (!frame) throw new Error('the widget frame did not load');
      const problems = await check(page, 'widget-host', width);
      const inside = await horizontalOverflow(frame);
      if (inside.excess > 0)
        problems.push(
          `widget @${width}: scrolls ${inside.excess}px sideways (${inside.culprits.join(', ')})`,
        );
      const violations = await axeViolations(frame);
      if (violations.length > 0) problems.push(describeViolations(`widget @${width}`, violations));
      await context.close();
      expect(problems.join('\n')).toBe('');
    });
  }
});
