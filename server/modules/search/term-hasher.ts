import { KeyedDigest } from '../../platform/crypto/keyed-digest.js';
import type { Executor } from '../../platform/db/schema.js';
import type { Vault } from '../encryption/vault.js';
import { type IndexedTerm, indexedTerms } from './index-policy.js';

/** 128 bits: collisions between a workspace's words are out of reach, and rows stay small. */
export const HASH_BYTES = 16;

/**
 * Keyed hashes of normalised terms (HMAC-SHA-256 under the workspace's search key, truncated). Equal
 * words in one workspace give equal hashes; without the key a hash says nothing about its word, and
 * two workspaces' hashes of one word differ. Whole words and prefixes are hashed apart (`w:`, `p:`),
 * so a prefix never passes for a word.
 */
export class TermHasher {
  private readonly digest: KeyedDigest;

  constructor(key: Buffer) {
    this.digest = new KeyedDigest(key);
  }

  word(term: string): string {
    return this.digest.digest(termValue('word', term), HASH_BYTES);
  }

  prefix(term: string): string {
    return this.digest.digest(termValue('prefix', term), HASH_BYTES);
  }

  /** The term's token in the index (fts-token.ts's ftsToken of its hash), hashed straight to hex. */
  token(term: IndexedTerm): string {
    return (term.personal ? 'b' : 'a') + this.digest.hex(termValue(term.kind, term.term), HASH_BYTES);
  }
}

/** A message's terms (index-policy.ts) as their keyed hashes, each with whether it is personal. */
export function hashedTerms(hasher: TermHasher, body: string): Array<[hash: string, personal: boolean]> {
  return indexedTerms(body).map((t) => [
    t.kind === 'word' ? hasher.word(t.term) : hasher.prefix(t.term),
    t.personal,
  ]);
}

/**
 * A message's document in the index: ftsDocument(hashedTerms(…)) without the base64url in between,
 * which the indexer's worker paid for on every term of every message.
 */
export function termDocument(hasher: TermHasher, body: string): string {
  return indexedTerms(body)
    .map((t) => hasher.token(t))
    .join(' ');
}

/** What is hashed for a term: whole words and beginnings apart, so a prefix never passes for a word. */
export function termValue(kind: 'word' | 'prefix', term: string): string {
  return kind === 'word' ? `w:${term}` : `p:${term}`;
}

export async function termHasherFor(db: Executor, vault: Vault, workspaceId: string): Promise<TermHasher> {
  return new TermHasher(await vault.searchKey(db, workspaceId));
}
