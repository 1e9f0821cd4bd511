import { mkdirSync, readFileSync } from 'node:fs';
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
import { heightFor, horizontalOverflow, settled, WIDTHS } from './support/layout.js';

const SHOTS = join(process.cwd(), 'e2e', '.screenshots');

/**
 * Reports in real Chromium with data made through the real commands: three conversations, two handed
 * to a person, one answered, resolved and rated, one labelled with a name shaped like a spreadsheet
 * formula. The administrator sees the charts at every width under the dashboard's strict CSP, the
 * comparison with the previous period and the breakdowns, downloads the CSV (the formula defused),
 * and axe finds nothing.
 */
describe.skipIf(!hasChromium)('reports in Chromium', { timeout: BROWSER_TEST_TIMEOUT_MS * 3 }, () => {
  let stage: BrowserStage;
  let server: TestServer;
  let browser: Browser;
  let admin: TestAgent;
  let ana: TestAgent;
  const ws = () => `/api/v1/workspaces/${admin.workspaceId}`;
  const api = (agent: TestAgent, method: string, path: string, body?: unknown) =>
    http(server, method, `${ws()}${path}`, { cookie: agent.cookie, ...(body !== undefined ? { body } : {}) });

  async function visitorAsksForAPerson(conversationId: string, credential: string) {
    const v: Probe = await connectVisitor(server, credential);
    v.send({ type: 'subscribe', conversationId, afterSeq: 0 });
    await v.next('subscribed');
    v.sendMessage(conversationId, 'I want to talk to a human');
    await v.until((p) => p.of('message.ack').length >= 1, 'the acknowledgement');
    // The handoff is the bot's turn, after the message: wait until the queue holds the query.
    const deadline = Date.now() + 30_000;
    const queued = async () =>
      (await api(ana, 'GET', '/queries?view=queue')).body.items.some(
        (q: { conversationId: string }) => q.conversationId === conversationId,
      );
    while (!(await queued())) {
      if (Date.now() > deadline) throw new Error('the handoff never queued');
      await new Promise((r) => setTimeout(r, 100));
    }
    v.close();
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    stage = await startBrowserStage();
    ({ server, browser, admin } = stage);
    ana = await addAgent(server, admin.workspaceId, 'operator', 'ana@example.com');
    const widget = await createWidget(server, admin);
    expect(
      (await api(admin, 'POST', '/resolution-codes', { code: 'answered', label: 'Answered' })).status,
    ).toBe(201);
    const label = await api(admin, 'POST', '/labels', { name: '=1+1 refund', colour: '#2f5bd3' });
    expect(label.status).toBe(201);
    const first = await startVisitor(server, widget);
    const second = await startVisitor(server, widget);
    await startVisitor(server, widget);
    await visitorAsksForAPerson(first.conversationId, first.credential);
    await visitorAsksForAPerson(second.conversationId, second.credential);
    const queue = (await api(ana, 'GET', '/queries?view=queue')).body.items;
    const query = queue.find((q: { conversationId: string }) => q.conversationId === first.conversationId);
    expect((await api(ana, 'POST', `/queries/${query.id}/pick`, {})).status).toBe(200);
    await api(ana, 'POST', `/conversations/${first.conversationId}/messages`, {
      clientId: 'report-e2e-reply-001',
      body: 'Hello, I can help.',
    });
    expect((await api(ana, 'POST', `/queries/${query.id}/resolve`, { code: 'answered' })).status).toBe(200);
    await http(server, 'POST', `/api/v1/visitor/conversations/${first.conversationId}/rating`, {
      headers: { authorization: `Bearer ${first.credential}` },
      body: { score: 5 },
    });
    expect(
      (await api(ana, 'PUT', `/conversations/${first.conversationId}/labels/${label.body.id}`, {})).status,
    ).toBeLessThan(300);
  });
  afterAll(async () => {
    await stage?.close();
  });

  async function openReports(width: number): Promise<{ page: Page; cspErrors: string[] }> {
    const context = await browser.newContext({
      viewport: { width, height: heightFor(width) },
      acceptDownloads: true,
    });
    const page = await context.newPage();
    const cspErrors: string[] = [];
    // Only what happens on the reports screen counts here (other screens have their own tests).
    const onReports = () => page.url().includes('/reports');
    page.on('console', (m) => {
      if (onReports() && /content security policy|refused to/i.test(m.text())) cspErrors.push(m.text());
    });
    page.on('pageerror', (e) => onReports() && cspErrors.push(String(e)));
    await signInOn(page, server, 'admin@example.com');
    await page.goto(`${server.url}/reports`);
    await page.getByTestId('report-period').selectOption('7');
    await page.getByTestId('chart-volume').waitFor();
    return { page, cspErrors };
  }

  it('renders the charts, comparison and breakdowns at every width, CSP-clean and axe-clean', async () => {
    for (const width of WIDTHS) {
      const { page, cspErrors } = await openReports(width);
      await expect
        .poll(() => page.getByTestId('report-containment').textContent())
        .toContain('3 conversations');
      // Each line chart draws a line for the measured points, and says what it shows.
      const path = await page
        .getByTestId('chart-volume')
        .locator('path.report-line')
        .first()
        .getAttribute('d');
      expect(path).toMatch(/^M[\d.]+,[\d.]+/);
      expect(await page.getByTestId('chart-volume').locator('svg').getAttribute('aria-label')).toMatch(
        /Conversations from 0 to 3/,
      );
      expect(await page.getByTestId('chart-csat').locator('table tbody').textContent()).toContain('5.0 / 5');
      expect(
        await page
          .getByTestId('report-busiest-hours')
          .locator('rect.report-heat:not(.report-heat-none)')
          .count(),
      ).toBeGreaterThan(0);
      expect(await page.getByTestId('report-previous-period').textContent()).toContain(
        '0 conversations then, 3',
      );
      expect(await page.getByTestId('report-csat-previous').textContent()).toContain('Previous period: —');
      expect(await page.getByTestId('breakdown-agents').textContent()).toContain(
        'ana@example.com'.split('@')[0],
      );
      expect(await page.getByTestId('breakdown-channels').textContent()).toContain('Web widget');
      expect(await page.getByTestId('breakdown-widgets').locator('tbody tr').count()).toBe(1);
      await settled(page);
      await page.screenshot({ path: join(SHOTS, `reports-${width}.png`), fullPage: true });
      // The page scrolls inside <main>: the charts get their own picture.
      for (const chart of ['chart-volume', 'chart-csat', 'report-busiest-hours'])
        await page.getByTestId(chart).screenshot({ path: join(SHOTS, `reports-${chart}-${width}.png`) });
      const overflow = await horizontalOverflow(page);
      expect(overflow.excess, `overflow at ${width}: ${overflow.culprits.join(', ')}`).toBeLessThanOrEqual(0);
      expect(await axeViolations(page), `axe at ${width}`).toEqual([]);
      expect(cspErrors, `CSP at ${width}`).toEqual([]);
      await page.context().close();
    }
  });

  it('downloads the report as CSV with formulas defused', async () => {
    const { page } = await openReports(1280);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('report-csv').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^service-report-.*\.csv$/);
    const csv = readFileSync((await download.path()) as string, 'utf8');
    const lines = csv.trim().split('\r\n');
    expect(lines[0]?.startsWith('section,key,name,conversations')).toBe(true);
    expect(lines.find((l) => l.startsWith('period,'))).toMatch(/^period,[^,]+,,3,2,/);
    const labelLine = lines.find((l) => l.startsWith('label,'));
    expect(labelLine).toContain(",'=1+1 refund,");
    expect(lines.some((l) => l.startsWith('channel,web,Web widget,3,'))).toBe(true);
    await page.context().close();
  });
});
