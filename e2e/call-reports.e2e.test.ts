import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clock } from '../server/platform/clock.js';
import { ask, connectCall, enableCalls, endedFrame } from '../test/support/calls.js';
import {
  connectAgent,
  connectVisitor,
  createWidget,
  PASSWORD,
  type Probe,
  startVisitor,
} from '../test/support/clients.js';
import { axeViolations, describeViolations } from './support/axe.js';
import { BROWSER_TEST_TIMEOUT_MS, hasChromium } from './support/browser.js';
import { type BrowserStage, startBrowserStage } from './support/browser-stage.js';
import { heightFor, horizontalOverflow, settled, WIDTHS } from './support/layout.js';

/** Screenshots to look at, outside the repository. */
const SHOTS = '/tmp/parley-call-reports';

/**
 * The call figures in the reports screen, in real Chromium, from calls made through the sockets as
 * the dashboard and the widget make them: one answered and talked for a minute and five seconds, one
 * declined, one the agent withdrew before anyone answered. Every width shows them beside the previous
 * period, axe finds nothing, and the CSV, downloaded with the keyboard alone, carries them.
 */
describe.skipIf(!hasChromium)('call figures in the reports', { timeout: BROWSER_TEST_TIMEOUT_MS * 3 }, () => {
  let stage: BrowserStage;
  const probes: Probe[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    stage = await startBrowserStage();
    const { server, admin } = stage;
    const widget = await createWidget(server, admin);
    await enableCalls(server, admin, widget.id);
    const session = await startVisitor(server, widget);
    const conversationId = session.conversationId;
    const agent = await connectAgent(server, admin);
    const visitor = await connectVisitor(server, session.credential);
    probes.push(agent, visitor);
    visitor.send({ type: 'subscribe', conversationId, afterSeq: 0 });
    await visitor.next('subscribed');

    // Answered, then hung up 65 s later (the node's clock moved on, not the test's wall clock).
    const answered = await connectCall(agent, visitor, conversationId, 'video');
    const realNow = clock.now;
    clock.now = () => realNow() + 65_000;
    try {
      expect((await ask(agent, { type: 'call.end', callId: answered })).type).toBe('call.ended');
    } finally {
      clock.now = realNow;
    }
    await visitor.until((p) => endedFrame(p, answered) !== undefined, 'the visitor told');

    const declined = await ask(agent, { type: 'call.offer', conversationId, media: 'audio' });
    if (declined.type !== 'call.created') throw new Error(JSON.stringify(declined));
    await visitor.until((p) => p.of('call.offered').length === 2, 'the second call ringing');
    expect((await ask(visitor, { type: 'call.decline', callId: declined.callId })).type).toBe('call.ended');

    const withdrawn = await ask(agent, { type: 'call.offer', conversationId, media: 'audio' });
    if (withdrawn.type !== 'call.created') throw new Error(JSON.stringify(withdrawn));
    await visitor.until((p) => p.of('call.offered').length === 3, 'the third call ringing');
    expect((await ask(agent, { type: 'call.end', callId: withdrawn.callId })).type).toBe('call.ended');
  });
  afterAll(async () => {
    for (const p of probes) p.close();
    await stage?.close();
  });

  async function openReports(width: number): Promise<Page> {
    const context = await stage.browser.newContext({
      viewport: { width, height: heightFor(width) },
      acceptDownloads: true,
    });
    const page = await context.newPage();
    await page.goto(`${stage.server.url}/login`);
    await page.getByTestId('login-email').fill('admin@example.com');
    await page.getByTestId('login-password').fill(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/inbox/);
    await page.goto(`${stage.server.url}/reports`);
    await page.getByTestId('report-calls').waitFor();
    return page;
  }

  const figure = (page: Page, id: string) => page.getByTestId(`report-calls-${id}`).textContent();

  it('shows offered, answered, declined, missed and talk time at every width, axe-clean', async () => {
    for (const width of WIDTHS) {
      const page = await openReports(width);
      await expect.poll(() => figure(page, 'offered')).toMatch(/^Offered3Previous period: 0$/);
      expect(await figure(page, 'answered')).toBe('Answered133% of offered callsPrevious period: 0');
      expect(await figure(page, 'declined')).toBe('Declined1Previous period: 0');
      expect(await figure(page, 'missed')).toMatch(/^Missed1.*Previous period: 0$/);
      expect(await figure(page, 'talk-time')).toMatch(/^Talk time1 min 5 s.*Previous period: 0 s$/);
      expect(
        await page.getByRole('heading', { name: 'Calls', level: 2 }).isVisible(),
        `the Calls heading at ${width}`,
      ).toBe(true);
      await page.getByTestId('report-calls').scrollIntoViewIfNeeded();
      await settled(page);
      await page.screenshot({ path: join(SHOTS, `reports-calls-${width}.png`), fullPage: true });
      await page.getByTestId('report-calls').screenshot({ path: join(SHOTS, `calls-figures-${width}.png`) });
      const overflow = await horizontalOverflow(page);
      expect(overflow.excess, `overflow at ${width}: ${overflow.culprits.join(', ')}`).toBeLessThanOrEqual(0);
      const violations = await axeViolations(page);
      expect(violations, `axe at ${width}: ${describeViolations(`${width}px`, violations)}`).toEqual([]);
      await page.context().close();
    }
  });

  it('downloads the CSV with the call figures, with the keyboard alone', async () => {
    const page = await openReports(1280);
    await page.getByTestId('report-period').focus();
    // From the period to the download link by Tab, as a keyboard user gets there.
    for (let i = 0; i < 5; i += 1) {
      if ((await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))) === 'report-csv')
        break;
      await page.keyboard.press('Tab');
    }
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('report-csv');
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    const csv = readFileSync((await download.path()) as string, 'utf8');
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toMatch(/,calls_offered,calls_answered,calls_declined,calls_missed,call_talk_seconds$/);
    expect(lines.find((l) => l.startsWith('period,'))).toMatch(/,3,1,1,1,65$/);
    expect(lines.find((l) => l.startsWith('previous_period,'))).toMatch(/,0,0,0,0,0$/);
    await page.context().close();
  });
});
