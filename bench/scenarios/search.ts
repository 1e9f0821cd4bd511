import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { VisitorSession } from '../../protocol/api.js';
import { buildApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { messageDeps } from '../../server/modules/conversations/message-plugin.js';
import { postMessage } from '../../server/modules/conversations/post-message.js';
import { countIndexedMessages } from '../../server/modules/search/search-index.repository.js';
import { createDb } from '../../server/platform/db/create-db.js';
import { migrateToLatest } from '../../server/platform/db/migrate.js';
import { RATE_LIMIT_NAMES } from '../../server/platform/http/rate-limits.js';
import { createMemoryPubSub } from '../../server/platform/pubsub/memory-pubsub.js';
import { createWidget, http, setupAdmin, startVisitor } from '../../test/support/clients.js';
import type { TestServer } from '../../test/support/test-server.js';
import { freePort } from '../harness/processes.js';
import type { Row, ScenarioResult } from '../harness/result.js';
import { percentile } from '../harness/stats.js';

export interface SearchProfile {
  conversations: number;
  messagesPerConversation: number;
  /** Searches per kind of query. */
  queries: number;
  /** Messages stored at once (separate conversations). */
  concurrency: number;
}

/** A deterministic vocabulary with a Zipf-like use: a few words everywhere, most of them rare. */
const COMMON = 'order refund delivery payment invoice account password shipping return help'.split(' ');
function vocabulary(size: number): string[] {
  const words = [...COMMON];
  for (let i = 0; words.length < size; i += 1) words.push(`w${(i * 7919).toString(36)}x`);
  return words;
}
function seeded(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1_664_525 + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * Search latency over a large history: a node on embedded SQLite (in this process), N conversations
 * holding M messages each, stored through the message command (sealed, indexed in the same commit),
 * then searches through the real HTTP route as an administrator: a common word, a rare word, the
 * beginning of a common word, two words, and a label-free filter only. p50 and p95 per kind.
 */
export async function search(p: SearchProfile): Promise<ScenarioResult> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-search-'));
  const port = await freePort();
  const config = loadConfig({
    PARLEY_HOST: '127.0.0.1',
    PARLEY_PORT: String(port),
    PARLEY_PUBLIC_URL: `http://127.0.0.1:${port}`,
    PARLEY_LOG_LEVEL: 'silent',
    PARLEY_RATE_LIMITS: RATE_LIMIT_NAMES.map((name) => `${name}=1000000/60`).join(','),
    PARLEY_WS_CONNECTIONS_PER_IP: '1000000',
    PARLEY_DATA_DIR: dir,
    PARLEY_MASTER_KEY: randomBytes(32).toString('base64'),
  });
  const database = { kind: 'sqlite', file: join(dir, 'parley.sqlite') } as const;
  const db = createDb(database);
  await migrateToLatest(db.db);
  const pubsub = createMemoryPubSub();
  const app = await buildApp({ config: Object.freeze({ ...config, database }), db, pubsub });
  await app.listen({ host: '127.0.0.1', port });
  const server = {
    app,
    url: config.publicUrl,
    origin: config.publicOrigin,
    db,
    config,
  } as unknown as TestServer;
  try {
    const admin = await setupAdmin(server);
    const widget = await createWidget(server, admin);
    const visitors: VisitorSession[] = [];
    for (let i = 0; i < p.conversations; i += 1) visitors.push(await startVisitor(server, widget));

    const words = vocabulary(5000);
    const random = seeded(42);
    const zipf = () => words[Math.min(words.length - 1, Math.floor(words.length * random() ** 3))] as string;
    const deps = messageDeps(app);
    const total = p.conversations * p.messagesPerConversation;
    const t0 = performance.now();
    let next = 0;
    const worker = async () => {
      for (;;) {
        const n = next++;
        if (n >= total) return;
        const v = visitors[n % visitors.length] as VisitorSession;
        const length = 6 + Math.floor(random() * 14);
        const body = Array.from({ length }, zipf).join(' ');
        await postMessage(deps, {
          conversationId: v.conversationId,
          author: { kind: 'visitor', id: v.visitor.id, name: v.visitor.name },
          clientId: `bench-search-${n.toString().padStart(10, '0')}`,
          body,
        });
      }
    };
    await Promise.all(Array.from({ length: p.concurrency }, worker));
    const storeSeconds = (performance.now() - t0) / 1000;
    const indexedMessages = await countIndexedMessages(db.db);
    // The whole file (messages, their index and the rest), WAL included.
    const databaseBytes = ['', '-wal']
      .map((suffix) => `${database.file}${suffix}`)
      .filter((f) => existsSync(f))
      .reduce((n, f) => n + statSync(f).size, 0);

    const base = `/api/v1/workspaces/${admin.workspaceId}/search/conversations`;
    const kinds: Record<string, () => string> = {
      'a common word': () => `?q=${COMMON[Math.floor(random() * COMMON.length)]}`,
      'a rare word': () => `?q=${words[1000 + Math.floor(random() * 4000)]}`,
      // Type-ahead: the first four letters of a common word match by its indexed beginning.
      "a word's beginning": () =>
        `?q=${(COMMON[Math.floor(random() * COMMON.length)] as string).slice(0, 4)}`,
      'two words': () => `?q=${encodeURIComponent(`${zipf()} ${zipf()}`)}`,
      'filters only': () => '?status=open',
    };
    const rows: Row[] = [];
    const details: Record<string, unknown> = {};
    const failures: string[] = [];
    const all: number[] = [];
    for (const [kind, make] of Object.entries(kinds)) {
      const samples: number[] = [];
      for (let i = 0; i < p.queries; i += 1) {
        const path = base + make();
        const started = performance.now();
        const res = await http(server, 'GET', path, { cookie: admin.cookie });
        samples.push(performance.now() - started);
        if (res.status !== 200) failures.push(`${path}: ${res.status}`);
      }
      all.push(...samples);
      const p50 = percentile(samples, 50);
      const p95 = percentile(samples, 95);
      details[kind] = { p50, p95, samples: samples.length };
      rows.push({
        scenario: 'search',
        system: 'Parley',
        figure: `search p50 / p95, ${kind}, ${total.toLocaleString('en-US')} messages`,
        value: p95,
        unit: 'ms',
        display: `${p50.toFixed(1)} / ${p95.toFixed(1)}`,
      });
    }
    const p95 = percentile(all, 95);
    rows.push({
      scenario: 'search',
      system: 'Parley',
      figure: `search p95, all kinds, ${total.toLocaleString('en-US')} messages (SQLite)`,
      value: p95,
      unit: 'ms',
      target: '≤ 100 ms',
      met: p95 <= 100,
    });
    return {
      name: 'search',
      rows,
      checks: [{ scenario: 'search', system: 'Parley', problems: failures.slice(0, 5) }],
      details: {
        parameters: p,
        messages: total,
        storedPerSec: total / storeSeconds,
        indexedMessages,
        databaseBytes,
        ...details,
      },
    };
  } finally {
    await app.close();
    await pubsub.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
