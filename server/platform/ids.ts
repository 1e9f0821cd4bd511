import { randomFillSync } from 'node:crypto';
import { clock } from './clock.js';

/** Random bytes drawn in blocks: one system call per 256 ids instead of one per id. */
const POOL_IDS = 256;
const pool = Buffer.alloc(10 * POOL_IDS);
let next = POOL_IDS;

const hex = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * A time-ordered UUID (version 7, RFC 9562): 48 bits of Unix milliseconds, then 74 random bits.
 * Rows keyed by it are appended at the end of their indexes instead of landing on a random page, which
 * on the message path (the message's own key, its search terms' keys) keeps the pages a commit
 * writes few and in the cache. The random part keeps ids unguessable; the time part says only when
 * the row was made, which a message carries anyway (`createdAt`).
 */
export function timeOrderedId(ms: number = clock.now()): string {
  if (next === POOL_IDS) {
    randomFillSync(pool);
    next = 0;
  }
  const r = next * 10;
  next += 1;
  const time = Math.max(0, Math.floor(ms)).toString(16).padStart(12, '0').slice(-12);
  const b = (i: number) => hex[pool[r + i] as number] as string;
  const version = `7${hex[(pool[r] as number) & 0x0f]?.slice(1)}${b(1)}`;
  const variant = `${hex[0x80 | ((pool[r + 2] as number) & 0x3f)]}${b(3)}`;
  return `${time.slice(0, 8)}-${time.slice(8)}-${version}-${variant}-${b(4)}${b(5)}${b(6)}${b(7)}${b(8)}${b(9)}`;
}
