import type { Kysely, Transaction } from 'kysely';

/**
 * A Parley dump: gzip-compressed JSON lines, the same for SQLite and PostgreSQL. Line 1 is the
 * header (schema version and row counts), then one line per row (`t` table, `v` values in the
 * header's column order), then a trailer with the total, so a truncated file is noticed.
 */
export const DUMP_FORMAT = 'parley-dump';
export const DUMP_VERSION = 1;

export interface DumpHeader {
  format: typeof DUMP_FORMAT;
  version: typeof DUMP_VERSION;
  createdAt: string;
  dialect: 'sqlite' | 'postgres';
  migrations: string[];
  tables: Array<{ name: string; columns: string[]; rows: number }>;
}

export type DumpValue = string | number | boolean | null | { b64: string };
export type DumpLine = { t: string; v: DumpValue[] } | { end: true; rows: number };

export class DumpError extends Error {
  override readonly name = 'DumpError';
}

/** Values as both databases give them back, turned into JSON that loads into either. */
export function toDumpValue(v: unknown): DumpValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Date) return v.toISOString();
  if (Buffer.isBuffer(v) || v instanceof Uint8Array) return { b64: Buffer.from(v).toString('base64') };
  return JSON.stringify(v);
}

export function fromDumpValue(v: DumpValue, dialect: 'sqlite' | 'postgres'): unknown {
  if (v !== null && typeof v === 'object') return Buffer.from(v.b64, 'base64');
  // SQLite has no boolean type: Parley's own tables store 0/1 already; this covers any other.
  if (typeof v === 'boolean' && dialect === 'sqlite') return v ? 1 : 0;
  return v;
}

// biome-ignore lint/suspicious/noExplicitAny: a dump reads tables found at run time, not the typed schema.
export type AnyDb = Kysely<any>;
// biome-ignore lint/suspicious/noExplicitAny: as above, inside a transaction.
export type AnyTrx = Transaction<any>;
