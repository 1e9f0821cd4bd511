/**
 * What a word is to the search index, the same on the way in (messages, names, emails) and on the
 * way out (queries): NFKC, lower case, diacritics folded ("Café" and "cafe" are one word), split on
 * anything that is not a letter or a digit, words of two characters or more. An email is also kept
 * whole, so "jane@example.com" finds that address and not every mail of example.com.
 */
const MIN_WORD = 2;
/** Longer runs are cut: no real word is longer, and a pasted blob must not make huge terms. */
const MAX_WORD = 40;
/** Distinct words taken from one text (a message is at most 4000 characters). */
export const MAX_WORDS_PER_TEXT = 300;
/** Prefixes kept for type-ahead: up to this many characters (names and emails from 2, messages from 3). */
export const MAX_PREFIX = 10;
/** A message's words are found by their beginnings from this many characters ("ref" finds "refund"). */
export const MIN_MESSAGE_PREFIX = 3;
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;
const SPLIT = /[^\p{L}\p{N}]+/u;
const NOT_ASCII = /[^\p{ASCII}]/u;

export function fold(text: string): string {
  // ASCII is left as it is by every normalization form and carries no marks: lower case is all.
  if (!NOT_ASCII.test(text)) return text.toLowerCase();
  return text
    .normalize('NFKC')
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .normalize('NFC');
}

function cut(word: string): string {
  const chars = Array.from(word);
  return chars.length > MAX_WORD ? chars.slice(0, MAX_WORD).join('') : word;
}

/** The distinct words of a text, emails whole as well as split, in order of first appearance. */
export function wordsOf(text: string): string[] {
  const folded = fold(text);
  const out = new Set<string>();
  for (const email of folded.match(EMAIL) ?? []) out.add(cut(email));
  for (const w of folded.split(SPLIT)) {
    if (Array.from(w).length >= MIN_WORD) out.add(cut(w));
    if (out.size >= MAX_WORDS_PER_TEXT) break;
  }
  return [...out].slice(0, MAX_WORDS_PER_TEXT);
}

/**
 * Beginnings of a word for type-ahead ("ja", "jan" of "jane"), shorter than the word itself, from
 * `min` characters up to MAX_PREFIX.
 */
export function prefixesOf(word: string, min = MIN_WORD): string[] {
  const chars = Array.from(word);
  const out: string[] = [];
  for (let n = Math.max(min, MIN_WORD); n < chars.length && n <= MAX_PREFIX; n += 1)
    out.push(chars.slice(0, n).join(''));
  return out;
}

/**
 * The prefix a query term is looked up by: the term itself, or its first MAX_PREFIX characters when
 * it is longer (longer beginnings are not indexed), so typing on past MAX_PREFIX keeps finding.
 */
export function queryPrefix(term: string): string {
  const chars = Array.from(term);
  return chars.length > MAX_PREFIX ? chars.slice(0, MAX_PREFIX).join('') : term;
}

/**
 * A query's terms: an email as one term, anything else as its words; every term must match (AND).
 * At most `max` terms count.
 */
export function queryTerms(query: string, max: number): string[] {
  const folded = fold(query);
  const emails = folded.match(EMAIL) ?? [];
  let rest = folded;
  for (const e of emails) rest = rest.replace(e, ' ');
  const words = rest.split(SPLIT).filter((w) => Array.from(w).length >= MIN_WORD);
  return [...new Set([...emails, ...words].map(cut))].slice(0, max);
}
