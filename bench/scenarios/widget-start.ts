import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Frame, type Page } from 'playwright-core';
import { shopPage, startHostPage } from '../../e2e/support/host-page.js';
import { sleep } from '../generator/pacer.js';
import type { Options, Profile } from '../harness/options.js';
import { createWidget, setupWorkspace, startParley } from '../harness/parley-node.js';
import type { Row, ScenarioResult, Skipped } from '../harness/result.js';
import { median } from '../harness/stats.js';

/**
 * Runs in every frame before its own scripts. In the widget's iframe it notes the moment the chat
 * is usable: the composer is there, the greeting is shown and no connection notice is left. In the
 * host page it clicks the launcher the moment it appears, like a visitor with instant reflexes (a
 * test driver's click would add its own delay). Times are epoch ms, so the documents' clocks compare.
 */
function probe(): void {
  const w = window as unknown as Record<string, number>;
  const at = () => performance.timeOrigin + performance.now();
  const check = () => {
    if (location.pathname.startsWith('/w/')) {
      const status = document.querySelector('[data-testid="connection-status"]');
      const ready =
        document.querySelector('[data-testid="composer"]') &&
        document.querySelector('[data-testid="message"]') &&
        status &&
        (status.textContent ?? '').trim() === '';
      if (ready && !w.__interactiveAt) w.__interactiveAt = at();
    } else if (!w.__launcherAt) {
      const launcher = document.getElementById('parley-launcher');
      if (!launcher) return;
      w.__launcherAt = at();
      // The loader attached its click handler before adding the button, so it is live now.
      launcher.click();
    }
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, characterData: true });
}

/** Reads the moment the probe noted; the polling only fetches it, the probe timed it. */
async function usableAt(frame: Frame): Promise<number> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const at = await frame.evaluate(() => (window as any).__interactiveAt as number | undefined);
    if (at) return at;
    if (Date.now() > deadline) throw new Error('the chat did not become usable within 15 s');
    await sleep(10);
  }
}

async function frameOf(page: Page): Promise<Frame> {
  for (;;) {
    const f = page.frames().find((fr) => fr.url().includes('/w/'));
    if (f) return f;
    await sleep(10);
  }
}

/**
 * Chromium, on localhost: a shop page on its own origin includes the loader; the launcher is
 * clicked as soon as it appears; the clock runs from the loader script's request to the chat being
 * usable. Each run is a fresh browser context (cold cache, new visitor). Reported: the median.
 */
export async function widgetStart(
  options: Options,
  p: Profile['widgetStart'],
): Promise<{ result: ScenarioResult | null; skipped: Skipped[] }> {
  if (!existsSync(options.chromium))
    return {
      result: null,
      skipped: [{ name: 'widget-start', reason: `no Chromium at ${options.chromium}` }],
    };
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-'));
  const node = await startParley({ dataDir, publicHost: 'localhost' });
  const shop = await startHostPage();
  const browser = await chromium.launch({
    executablePath: options.chromium,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-dev-shm-usage',
    ],
  });
  try {
    const ws = await setupWorkspace(node.url, node.setupToken ?? '');
    const widgetId = await createWidget(node.url, ws.adminCookie, ws.workspaceId, [shop.origin]);
    const loaderUrl = `${node.url}/widget.js`;
    shop.set(
      '/',
      shopPage(`<script src="${loaderUrl}" data-parley-widget="${widgetId}" async></script>`),
      `script-src 'self' ${node.url}; frame-src ${node.url}`,
    );
    const runs: Array<{ totalMs: number; toLauncherMs: number; launcherToUsableMs: number }> = [];
    for (let i = 0; i < p.runs; i += 1) {
      const context = await browser.newContext();
      await context.addInitScript(probe);
      const page = await context.newPage();
      await page.goto(shop.origin);
      const frame = await frameOf(page);
      const interactiveAt = await usableAt(frame);
      const host = await page.evaluate((src) => {
        const w = window as any;
        const entry = performance.getEntriesByName(src)[0];
        return {
          loaderStart: performance.timeOrigin + (entry?.startTime ?? 0),
          launcherAt: w.__launcherAt as number,
        };
      }, loaderUrl);
      runs.push({
        totalMs: interactiveAt - host.loaderStart,
        toLauncherMs: host.launcherAt - host.loaderStart,
        launcherToUsableMs: interactiveAt - host.launcherAt,
      });
      await context.close();
    }
    const total = median(runs.map((r) => r.totalMs));
    const row: Row = {
      scenario: 'widget start',
      system: 'Parley',
      figure: `Chromium, loader start → chat usable, median of ${runs.length}`,
      value: total,
      unit: 'ms',
      note: `loader → launcher ${median(runs.map((r) => r.toLauncherMs)).toFixed(0)} ms; click → usable ${median(runs.map((r) => r.launcherToUsableMs)).toFixed(0)} ms`,
    };
    return { result: { name: 'widget-start', rows: [row], checks: [], details: { runs } }, skipped: [] };
  } finally {
    await browser.close();
    await shop.close();
    await node.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
