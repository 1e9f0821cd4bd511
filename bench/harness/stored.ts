import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';

/**
 * Reads back what Parley stored, straight from its database after the node has stopped (or was
 * killed): the client ids of every message people sent (the bot's greetings left out).
 */
export function storedClientIdsSqlite(file: string): Set<string> {
  // Opening the file replays the WAL, exactly as Parley's next start would.
  const db = new SqliteDatabase(file);
  try {
    const rows = db.prepare("SELECT client_id FROM messages WHERE author_kind <> 'bot'").pluck().all();
    return new Set(rows as string[]);
  } finally {
    db.close();
  }
}

export async function storedClientIdsPostgres(url: string): Promise<Set<string>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const res = await client.query<{ client_id: string }>(
      "SELECT client_id FROM messages WHERE author_kind <> 'bot'",
    );
    return new Set(res.rows.map((r) => r.client_id));
  } finally {
    await client.end();
  }
}

/** Acked ids the database does not hold: each one is an ack that was not durable. */
export function notStored(acked: Iterable<string>, stored: Set<string>): string[] {
  const out: string[] = [];
  for (const id of acked) if (!stored.has(id)) out.push(id);
  return out;
}
