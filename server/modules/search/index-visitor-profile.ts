import type { Executor } from '../../platform/db/schema.js';
import type { Vault } from '../encryption/vault.js';
import { visitorWords } from './index-policy.js';
import { replaceVisitorTerms } from './search-index.repository.js';
import { termHasherFor } from './term-hasher.js';

/**
 * Indexes a visitor's name and email as they now are (the profile's row must exist: the index rows
 * reference it and go when it goes). Called by the visitors module in the profile's own transaction.
 */
export async function indexVisitorProfile(
  db: Executor,
  vault: Vault,
  o: { workspaceId: string; visitorId: string; name: string | null; email: string | null },
): Promise<void> {
  const { words, prefixes } = visitorWords(o);
  const hasher = await termHasherFor(db, vault, o.workspaceId);
  const hashes = [...words.map((w) => hasher.word(w)), ...prefixes.map((p) => hasher.prefix(p))];
  await replaceVisitorTerms(
    db,
    o.visitorId,
    [...new Set(hashes)].map((term_hash) => ({
      visitor_id: o.visitorId,
      term_hash,
      workspace_id: o.workspaceId,
    })),
  );
}
