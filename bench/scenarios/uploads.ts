import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { VisitorSession } from '../../protocol/api.js';
import type { Options } from '../harness/options.js';
import { BENCH_HOST_ORIGIN } from '../harness/parley-env.js';
import { call, setupWorkspace, startParley } from '../harness/parley-node.js';
import type { Check, Row, ScenarioResult, Skipped } from '../harness/result.js';
import { percentile } from '../harness/stats.js';

export interface UploadsProfile {
  /** Uploads of each kind per variant, after a few not counted. */
  images: number;
  pdfs: number;
  /** Uploads in flight at once. */
  concurrency: number;
  /** Visitors (conversations) the uploads are spread over. */
  visitors: number;
}

const KIB = 1024;
const MIB = 1024 * 1024;
const EICAR = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';

/** A photo-like PNG of about 100 KiB: noise does not compress, so the size holds after re-encoding. */
async function image(seed: number): Promise<Buffer> {
  const side = 185;
  const pixels = Buffer.alloc(side * side * 3);
  let s = seed >>> 0;
  for (let i = 0; i < pixels.length; i += 1) {
    s = (s * 1_664_525 + 1_013_904_223) >>> 0;
    pixels[i] = s >>> 24;
  }
  return sharp(pixels, { raw: { width: side, height: side, channels: 3 } })
    .png()
    .toBuffer();
}

/** A 1 MiB PDF: a valid header and trailer around text, as an invoice with a long appendix. */
function pdf(seed: number): Buffer {
  const head = `%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n`;
  const tail = 'trailer<</Root 1 0 R>>\n%%EOF\n';
  const line = `% appendix line ${seed} of an invoice, long enough to be a real page of text\n`;
  const body = line.repeat(Math.ceil(MIB / line.length)).slice(0, MIB - head.length - tail.length);
  return Buffer.from(head + body + tail, 'latin1');
}

function clamdAnswers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ path, timeout: 2000 });
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => socket.write('zPING\0'));
    socket.on('data', (d) => {
      reply += d.toString('latin1');
      if (reply.includes('\0')) done(reply.startsWith('PONG'));
    });
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

/**
 * Upload throughput through the real HTTP route of a Parley node in its own process (embedded SQLite,
 * chunks sealed under the visitor's data key in the file store): 100 KiB PNG images (decoded and
 * re-encoded, metadata stripped) and 1 MiB PDFs, `concurrency` at a time, as uploads/s, MiB/s and
 * latency. Once without scanning, and once with clamd (PARLEY_CLAMD) when the test clamd answers
 * (scripts/start-test-clamd.sh); that variant also checks an EICAR upload is refused, so a figure
 * can never come from a node that did not scan.
 */
export async function uploads(
  options: Options,
  p: UploadsProfile,
): Promise<{ result: ScenarioResult; skipped: Skipped[] }> {
  const files = {
    'image 100 KiB': await Promise.all(Array.from({ length: 8 }, (_, i) => image(i + 1))),
    'PDF 1 MiB': Array.from({ length: 4 }, (_, i) => pdf(i)),
  };
  const counts = { 'image 100 KiB': p.images, 'PDF 1 MiB': p.pdfs };
  const skipped: Skipped[] = [];
  const variants: Array<{ system: string; env: Record<string, string> }> = [{ system: 'Parley', env: {} }];
  if (await clamdAnswers(options.clamdSocket))
    variants.push({ system: 'Parley + clamd', env: { PARLEY_CLAMD: `unix:${options.clamdSocket}` } });
  else
    skipped.push({
      name: 'uploads with clamd',
      reason: `clamd does not answer at ${options.clamdSocket} (scripts/start-test-clamd.sh)`,
    });

  const rows: Row[] = [];
  const checks: Check[] = [];
  const details: Record<string, unknown> = {
    parameters: p,
    sizes: Object.fromEntries(Object.entries(files).map(([k, v]) => [k, v[0]?.length])),
  };
  for (const variant of variants) {
    const dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-uploads-'));
    const node = await startParley({ dataDir, name: variant.system, env: variant.env });
    const problems: string[] = [];
    try {
      if (!node.setupToken) throw new Error('the node did not print a setup link');
      const ws = await setupWorkspace(node.url, node.setupToken);
      const visitors: VisitorSession[] = [];
      for (let i = 0; i < p.visitors; i += 1) {
        const res = await call<VisitorSession>(node.url, 'POST', '/api/v1/visitor/sessions', {
          body: { widgetId: ws.widgetId, hostOrigin: BENCH_HOST_ORIGIN },
        });
        if (res.status !== 201) throw new Error(`visitor session answered ${res.status}`);
        visitors.push(res.body);
      }
      const send = async (n: number, bytes: Buffer, name: string) => {
        const visitor = visitors[n % visitors.length] as VisitorSession;
        const res = await fetch(
          `${node.url}/api/v1/visitor/conversations/${visitor.conversationId}/attachments`,
          {
            method: 'POST',
            headers: {
              origin: node.url,
              authorization: `Bearer ${visitor.credential}`,
              'content-type': 'application/octet-stream',
              'x-file-name': name,
            },
            body: new Uint8Array(bytes),
          },
        );
        await res.arrayBuffer();
        return res.status;
      };
      if (variant.env.PARLEY_CLAMD) {
        const status = await send(0, Buffer.from(EICAR), 'eicar.txt');
        if (status !== 422) problems.push(`the EICAR file answered ${status}, not 422: clamd did not scan`);
      }
      for (const [kind, samples] of Object.entries(files) as Array<[keyof typeof files, Buffer[]]>) {
        // A few first uploads warm the node (sharp's first image, clamd's connection path) and do not count.
        for (let i = 0; i < 3; i += 1) await send(i, samples[i % samples.length] as Buffer, 'warm-up');
        const total = counts[kind];
        const latencies: number[] = [];
        let next = 0;
        let bytes = 0;
        const started = performance.now();
        await Promise.all(
          Array.from({ length: p.concurrency }, async () => {
            while (next < total) {
              const n = next++;
              const file = samples[n % samples.length] as Buffer;
              const t0 = performance.now();
              const status = await send(n, file, kind.startsWith('PDF') ? 'invoice.pdf' : 'photo.png');
              latencies.push(performance.now() - t0);
              if (status === 201) bytes += file.length;
              else problems.push(`${kind} upload ${n} answered ${status}`);
            }
          }),
        );
        const seconds = (performance.now() - started) / 1000;
        const perSec = total / seconds;
        const mibPerSec = bytes / MIB / seconds;
        const p50 = percentile(latencies, 50);
        const p95 = percentile(latencies, 95);
        details[`${variant.system}: ${kind}`] = { uploads: total, seconds, perSec, mibPerSec, p50, p95 };
        const figure = `${kind} (${Math.round((samples[0] as Buffer).length / KIB)} KiB each), ${p.concurrency} at a time`;
        rows.push(
          {
            scenario: 'uploads',
            system: variant.system,
            figure: `${figure}: uploads/s`,
            value: perSec,
            unit: 'uploads/s',
          },
          {
            scenario: 'uploads',
            system: variant.system,
            figure: `${figure}: MiB/s`,
            value: mibPerSec,
            unit: 'MiB/s',
          },
          {
            scenario: 'uploads',
            system: variant.system,
            figure: `${figure}: p50 / p95`,
            value: p95,
            unit: 'ms',
            display: `${p50.toFixed(0)} / ${p95.toFixed(0)}`,
          },
        );
      }
    } finally {
      await node.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
    checks.push({ scenario: 'uploads', system: variant.system, problems: problems.slice(0, 5) });
  }
  return { result: { name: 'uploads', rows, checks, details }, skipped };
}
