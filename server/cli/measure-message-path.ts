import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { allocateSeq } from '../modules/conversations/conversation.repository.js';
import { findMessageByClientId, insertMessage } from '../modules/conversations/message.repository.js';
import { MessageStream } from '../modules/conversations/message-stream.js';
import { previewOf } from '../modules/conversations/presenters.js';
import { storeMessage } from '../modules/conversations/store-message.js';
import { Vault } from '../modules/encryption/vault.js';
import { registerQueryTracking } from '../modules/handoff/track-query-activity.js';
import { KeyRing, newMasterKey } from '../platform/crypto/key-ring.js';
import { createDb, type DbHandle } from '../platform/db/create-db.js';
import { migrateToLatest } from '../platform/db/migrate.js';
import { directTransaction } from '../platform/db/prepared.js';
import { seedConversation } from './measured-conversation.js';

/**
 * What encryption at rest costs on the message path, on a real database:
 *   npm run build:server && node dist/server/cli/measure-message-path.js [--postgres URL] [--sends N]
 * Variants run interleaved in rounds so drift hits them alike. "plaintext" is the same send
 * transaction without sealing, as the path was before encryption at rest.
 */
const BODY =
  'Hello, I ordered a blue jacket last week (order 7Q-HX-2291) and it has not arrived yet. '.repeat(3);

async function measure(label: string, handle: DbHandle, sends: number, schema?: string): Promise<void> {
  await migrateToLatest(handle.db, schema);
  const conversationId = await seedConversation(handle.db);
  const vault = new Vault(new KeyRing({ kind: 'env', keys: [] }, [newMasterKey()]), { cacheSize: 10_000 });
  const author = { kind: 'visitor' as const, id: 'v', name: 'Visitor 0001' };
  // The message's commit without subscribers: what storing and sealing cost, nothing else.
  const log = pino({ level: 'silent' });
  const bare = new MessageStream({ db: handle.db, log, node: 'measure' });
  // As a visitor's message in a handed-off conversation while the bot still answers: the query's
  // move checked, and the bot's turn owed (recorded, not run).
  const subscribed = new MessageStream({ db: handle.db, log, node: 'measure' });
  registerQueryTracking(subscribed);
  subscribed.owe('bot', {
    wants: ({ message }) => message.author_kind === 'visitor',
    handle: async () => {},
  });
  const send = async (clientId: string, stream = bare) => {
    const key = await vault.forConversation(handle.db, conversationId);
    if (!key) throw new Error('no key');
    const stored = await directTransaction(handle.db, (trx) =>
      storeMessage(trx, { key, stream, conversationId, author, clientId, body: BODY }),
    );
    await stored.owed;
  };
  let n = 0;
  const next = () => {
    n += 1;
    return n;
  };
  const variants: Record<string, () => Promise<void>> = {
    'encrypted, data key cached': async () => {
      await send(`m-cached-${next()}-0000000`);
    },
    'query tracked, bot turn owed': async () => {
      await send(`m-owed-${next()}-00000000`, subscribed);
    },
    'encrypted, key not cached': async () => {
      vault.clear();
      await send(`m-cold-${next()}-00000000`);
    },
    'plaintext (no sealing)': async () => {
      // The send as it was before encryption at rest: the same reads and writes, nothing sealed.
      const clientId = `m-plain-${next()}-0000000`;
      if (await findMessageByClientId(handle.db, conversationId, clientId)) throw new Error('duplicate');
      await handle.db.transaction().execute(async (trx) => {
        const at = new Date().toISOString();
        const allocated = await allocateSeq(trx, conversationId, at, previewOf(BODY), 'visitor');
        if (await findMessageByClientId(trx, conversationId, clientId)) throw new Error('duplicate');
        await insertMessage(trx, {
          id: randomUUID(),
          workspace_id: allocated?.workspace_id ?? '',
          conversation_id: conversationId,
          seq: allocated?.last_seq ?? 0,
          client_id: clientId,
          author_kind: 'visitor',
          author_id: 'v',
          author_name: 'Visitor 0001',
          body: BODY,
          created_at: at,
          structured: null,
          action_ref: null,
        });
      });
    },
  };
  const totals = new Map<string, number>(Object.keys(variants).map((k) => [k, 0]));
  const rounds = 10;
  for (let r = 0; r < rounds; r += 1) {
    for (const [name, run] of Object.entries(variants)) {
      const t0 = performance.now();
      for (let i = 0; i < sends / rounds; i += 1) await run();
      totals.set(name, (totals.get(name) ?? 0) + (performance.now() - t0));
    }
  }
  const key = await vault.forConversation(handle.db, conversationId);
  const t0 = performance.now();
  const cryptoOps = 20_000;
  for (let i = 0; i < cryptoOps; i += 1)
    key?.open('messages', 'body', 'row', key.seal('messages', 'body', 'row', BODY));
  const cryptoUs = ((performance.now() - t0) * 1000) / cryptoOps;

  console.log(`\n${label}: ${sends} sends per variant, body ${BODY.length} characters`);
  for (const [name, ms] of totals) {
    console.log(
      `  ${name.padEnd(28)} ${((sends / ms) * 1000).toFixed(0).padStart(7)} sends/s  ${((ms * 1000) / sends).toFixed(0).padStart(6)} µs/send`,
    );
  }
  console.log(`  ${'seal + open, crypto only'.padEnd(28)} ${cryptoUs.toFixed(1).padStart(7)} µs`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { postgres: { type: 'string' }, sends: { type: 'string' } } });
  const sends = Number(values.sends ?? '1000');
  const dir = mkdtempSync(join(tmpdir(), 'parley-measure-'));
  const sqlite = createDb({ kind: 'sqlite', file: join(dir, 'parley.sqlite') });
  try {
    await measure('SQLite (WAL, fsync before each answer)', sqlite, sends);
  } finally {
    await sqlite.close();
    rmSync(dir, { recursive: true, force: true });
  }
  if (values.postgres) {
    const schema = `measure_${randomUUID().slice(0, 8)}`;
    const admin = createDb({ kind: 'postgres', url: values.postgres });
    await admin.db.schema.createSchema(schema).execute();
    const pg = createDb({ kind: 'postgres', url: values.postgres }, { schema });
    try {
      await measure('PostgreSQL', pg, sends, schema);
    } finally {
      await pg.close();
      await admin.db.schema.dropSchema(schema).cascade().execute();
      await admin.close();
    }
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
