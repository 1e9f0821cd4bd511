/**
 * One token per term, in SQLite's FTS5 documents and PostgreSQL's search_term_sets: the keyed hash in
 * hex (FTS5's `ascii` tokenizer keeps it whole), after `a` for a word anyone may search and `b` for
 * one only callers with personal-data access may.
 */
export function ftsToken(termHash: string, personal: boolean): string {
  return (personal ? 'b' : 'a') + Buffer.from(termHash, 'base64url').toString('hex');
}

/** A message's FTS5 document: the tokens of its terms, space-separated. */
export function ftsDocument(terms: ReadonlyArray<readonly [hash: string, personal: boolean]>): string {
  return terms.map(([hash, personal]) => ftsToken(hash, personal)).join(' ');
}

/**
 * The tokens a search for any of these hashes looks for: each as a token anyone may search and, with
 * `personal`, also as one inside an email or number.
 */
export function searchTokens(hashes: string[], personal: boolean): string[] {
  return hashes.flatMap((h) => (personal ? [ftsToken(h, false), ftsToken(h, true)] : [ftsToken(h, false)]));
}

/** An FTS5 MATCH for documents holding any of these hashes' tokens (searchTokens). */
export function ftsMatch(hashes: string[], personal: boolean): string {
  return searchTokens(hashes, personal)
    .map((t) => `"${t}"`)
    .join(' OR ');
}
