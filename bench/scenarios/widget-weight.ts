import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Options } from '../harness/options.js';
import type { Row, ScenarioResult, Skipped } from '../harness/result.js';
import { startSystem } from '../harness/systems.js';
import { competitorWidgets, type WidgetFiles } from './competitors.js';

const gz = (body: Buffer) => gzipSync(body, { level: 9 }).length;
const kib = (bytes: number) => (bytes / 1024).toFixed(1);

interface Weighed {
  files: Array<{ name: string; bytes: number; gzip: number }>;
  gzip: number;
}

function weigh(entries: Array<{ name: string; body: Buffer }>): Weighed {
  const files = entries.map((e) => ({ name: e.name, bytes: e.body.length, gzip: gz(e.body) }));
  return { files, gzip: files.reduce((n, f) => n + f.gzip, 0) };
}

async function get(url: string): Promise<Buffer> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url} answered ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}

/**
 * Parley's widget as a browser gets it from a running node: the loader (/widget.js), then the chat's
 * script the loader adds once the chat is needed (/widget-chat.js), the iframe's document (/w/:id)
 * and every stylesheet and script that document references. Each file
 * is gzipped at level 9, the same for every widget measured; API calls are not counted.
 */
async function parleyWidget(): Promise<{ loader: Weighed; iframe: Weighed }> {
  const sut = await startSystem('parley', { operators: 0 });
  try {
    if (sut.target.kind !== 'parley') throw new Error('not Parley');
    const { url, widgetId } = sut.target;
    const loader = weigh([{ name: 'widget.js', body: await get(`${url}/widget.js`) }]);
    const html = await get(`${url}/w/${widgetId}`);
    const refs = [...String(html).matchAll(/(?:href|src)="(\/[^"]+)"/g)].map((m) => m[1] as string);
    const assets = await Promise.all(
      refs.map(async (r) => ({ name: r.split('?')[0] as string, body: await get(url + r) })),
    );
    const chat = { name: '/widget-chat.js', body: await get(`${url}/widget-chat.js`) };
    return { loader, iframe: weigh([chat, { name: '/w/:widgetId (document)', body: html }, ...assets]) };
  } finally {
    await sut.stop();
    await sut.remove();
  }
}

function weighFiles(w: WidgetFiles): { loader: Weighed; total: Weighed } {
  const read = (f: string) => ({ name: basename(f), body: readFileSync(f) });
  return { loader: weigh(w.loader.map(read)), total: weigh(w.beforeInteractive.map(read)) };
}

export async function widgetWeight(
  options: Options,
): Promise<{ result: ScenarioResult; skipped: Skipped[] }> {
  const parley = await parleyWidget();
  const parleyTotal = parley.loader.gzip + parley.iframe.gzip;
  const rows: Row[] = [
    {
      scenario: 'widget weight',
      system: 'Parley',
      figure: 'loader, gzip',
      value: parley.loader.gzip / 1024,
      unit: 'KiB',
      target: '≤ 2 KiB',
      met: parley.loader.gzip <= 2048,
      note: `${parley.loader.gzip} bytes`,
    },
    {
      scenario: 'widget weight',
      system: 'Parley',
      figure: 'iframe before interactive, gzip',
      value: parley.iframe.gzip / 1024,
      unit: 'KiB',
      target: '≤ 25 KiB',
      met: parley.iframe.gzip <= 25 * 1024,
      note: parley.iframe.files.map((f) => `${f.name} ${f.gzip} B`).join(', '),
    },
    {
      scenario: 'widget weight',
      system: 'Parley',
      figure: 'gzip: loader / everything before interactive',
      value: parleyTotal / 1024,
      unit: 'KiB',
      display: `${kib(parley.loader.gzip)} / ${kib(parleyTotal)} KiB`,
    },
  ];
  const skipped: Skipped[] = [];
  const competitors: Record<string, unknown> = {};
  if (options.competitors) {
    const { widgets, failures } = competitorWidgets(options.cacheDir);
    for (const f of failures) skipped.push({ name: 'widget-weight (competitor)', reason: f });
    for (const w of widgets) {
      const { loader, total } = weighFiles(w);
      competitors[w.name] = { version: w.version, method: w.method, loader, total };
      rows.push({
        scenario: 'widget weight',
        system: `${w.name} ${w.version}`,
        figure: 'gzip: loader / everything before interactive',
        value: total.gzip / 1024,
        unit: 'KiB',
        display: `${kib(loader.gzip)} / ${kib(total.gzip)} KiB`,
        note: `${(total.gzip / parleyTotal).toFixed(1)}× Parley's total`,
      });
    }
  } else {
    skipped.push({
      name: 'widget-weight (competitors)',
      reason: 'not fetched (quick mode or --no-competitors)',
    });
  }
  return {
    result: {
      name: 'widget-weight',
      rows,
      checks: [],
      details: { method: 'gzip level 9 per file', parley, competitors },
    },
    skipped,
  };
}
