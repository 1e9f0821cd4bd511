import type { VisitorKey } from '../../server/modules/encryption/visitor-key.js';
import { type Reach, visitorColumns } from '../../server/modules/privacy/data-classification.js';
import type { CopyPlace, PersonalDataKind } from '../../server/modules/retention/retention-policy.js';
import { dialectOf } from '../../server/platform/db/dialect.js';
import type { Db } from '../../server/platform/db/schema.js';

/** The ids that tie rows to one visitor, read before anything is deleted. */
export interface VisitorIds {
  visitorId: string;
  conversationIds: string[];
  queryIds: string[];
}

export async function visitorIds(db: Db, visitorId: string): Promise<VisitorIds> {
  const conversations = await db
    .selectFrom('conversations')
    .select('id')
    .where('visitor_id', '=', visitorId)
    .execute();
  const conversationIds = conversations.map((c) => c.id);
  const queries =
    conversationIds.length === 0
      ? []
      : await db.selectFrom('queries').select('id').where('conversation_id', 'in', conversationIds).execute();
  return { visitorId, conversationIds, queryIds: queries.map((q) => q.id) };
}

const REACH_COLUMN: Record<Reach, string> = {
  visitor: 'id',
  visitor_id: 'visitor_id',
  conversation: 'conversation_id',
  query: 'query_id',
  'data-key': 'id',
};

/** The raw rows of `table` tied to the visitor. */
export async function rowsOf(
  db: Db,
  table: string,
  reach: Reach,
  ids: VisitorIds,
): Promise<Array<Record<string, unknown>>> {
  const values =
    reach === 'conversation' ? ids.conversationIds : reach === 'query' ? ids.queryIds : [ids.visitorId];
  if (values.length === 0) return [];
  return (await db
    .selectFrom(table as never)
    .selectAll()
    .where(REACH_COLUMN[reach] as never, 'in', values as never)
    .execute()) as Array<Record<string, unknown>>;
}

/** What one personal column (or one part of a sealed document) holds about the visitor. */
export interface Copy {
  name: string;
  table: string;
  column: string;
  kind: PersonalDataKind;
  place: CopyPlace;
  sealed: boolean;
  exported: boolean;
  /** A sealed document of several kinds, as a whole: its parts are checked, each with its own kind. */
  composite: boolean;
  /** Every string and number in it, opened and taken out of JSON. */
  values: string[];
  /** The stored values as they are on disk (ciphertext for sealed columns). */
  stored: string[];
}

export function leaves(value: unknown): string[] {
  if (typeof value === 'string') {
    if (value.startsWith('{') || value.startsWith('[')) {
      try {
        return leaves(JSON.parse(value));
      } catch {
        return [value];
      }
    }
    return [value];
  }
  if (typeof value === 'number') return [String(value)];
  if (Array.isArray(value)) return value.flatMap(leaves);
  if (value && typeof value === 'object') return Object.values(value).flatMap(leaves);
  return [];
}

/**
 * Every copy of the visitor's personal data, one entry per classified column (and per part of a
 * sealed document that holds several kinds), opened with the visitor's key: driven by the
 * classification, so a newly classified column is read without a change here.
 */
export async function readCopies(db: Db, key: VisitorKey, ids: VisitorIds): Promise<Map<string, Copy>> {
  const copies = new Map<string, Copy>();
  const entry = (name: string, base: Omit<Copy, 'name' | 'values' | 'stored'>) => {
    let c = copies.get(name);
    if (!c) {
      c = { name, ...base, values: [], stored: [] };
      copies.set(name, c);
    }
    return c;
  };
  for (const col of visitorColumns(dialectOf(db))) {
    const place: CopyPlace = col.table === 'conversation_archives' ? 'archived' : 'live';
    const base = {
      table: col.table,
      column: col.column,
      kind: col.spec.kind,
      place,
      sealed: col.spec.sealed,
      exported: col.spec.notExported === undefined,
      composite: col.spec.parts !== undefined,
    };
    entry(`${col.table}.${col.column}`, base);
    for (const [part, kind] of Object.entries(col.spec.parts ?? {}))
      entry(`${col.table}.${col.column}.${part}`, { ...base, kind, composite: false });
    for (const row of await rowsOf(db, col.table, col.reach, ids)) {
      const raw = row[col.column];
      if (raw === null || raw === undefined) continue;
      const stored = String(raw);
      const plain = col.spec.sealed
        ? key.open(col.table, col.column, String(row[col.sealedRowId]), stored)
        : stored;
      const whole = entry(`${col.table}.${col.column}`, base);
      whole.stored.push(stored);
      if (!col.spec.parts) {
        whole.values.push(...leaves(plain));
        continue;
      }
      const doc = JSON.parse(plain) as Record<string, unknown>;
      for (const part of Object.keys(col.spec.parts)) {
        const c = copies.get(`${col.table}.${col.column}.${part}`) as Copy;
        c.values.push(...leaves(doc[part]));
        whole.values.push(...leaves(doc[part]));
      }
      const unknown = Object.keys(doc).filter((k) => !(k in (col.spec.parts ?? {})));
      if (unknown.length > 0)
        throw new Error(
          `${col.table}.${col.column} holds ${unknown.join(', ')}, which its parts do not name`,
        );
    }
  }
  return copies;
}
