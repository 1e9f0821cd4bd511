/**
 * A PostgreSQL refusal that another concurrent writer caused and that the same transaction, run
 * again, does not meet: a deadlock (40P01), a serialization failure (40001), or a foreign key whose
 * parent a concurrent transaction was still writing to (23503).
 */
export function isWriteConflict(err: unknown): boolean {
  const code = (err as { code?: string })?.code;
  return code === '40P01' || code === '40001' || code === '23503';
}
