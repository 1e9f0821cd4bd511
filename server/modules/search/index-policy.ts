import { maskText } from '../privacy/masking.js';
import { MIN_MESSAGE_PREFIX, prefixesOf, wordsOf } from './normalize.js';

export interface IndexedWord {
  word: string;
  /** Only in the text as part of what masking hides (an email, a phone or card number). */
  personal: boolean;
}

/** A term of a message as the index takes it: a whole word, or the beginning of one. */
export interface IndexedTerm {
  term: string;
  kind: 'word' | 'prefix';
  personal: boolean;
}

/**
 * Beginnings of words kept per message, at most: with MAX_WORDS_PER_TEXT words, one message makes
 * at most MAX_WORDS_PER_TEXT + MAX_PREFIXES_PER_MESSAGE index rows whatever its text.
 */
export const MAX_PREFIXES_PER_MESSAGE = 600;

/**
 * Who writes what the index takes: visitors, agents and the site's backend; not the bot's scripts. The
 * backlog's trigger (migration 2026-12-11-0101-search-backlog-trigger) holds the same condition in SQL.
 */
export function isIndexedAuthor(kind: string): boolean {
  return kind !== 'bot';
}

/**
 * The words of a message, each marked personal when it only appears inside what masking hides for
 * roles without personal-data access (privacy/masking.ts): such a role must not find a conversation
 * by an email or a phone number it would only see as "j•••@•••.com". A word that also appears
 * outside such a span ("com") is not personal.
 */
export function messageWords(body: string): IndexedWord[] {
  const words = wordsOf(body);
  const masked = maskText(body);
  // Most messages hide nothing: then every word is visible, and the text need not be split twice.
  if (masked === body) return words.map((word) => ({ word, personal: false }));
  const visible = new Set(wordsOf(masked));
  return words.map((word) => ({ word, personal: !visible.has(word) }));
}

/**
 * What a message puts in the index: its words (messageWords) and their beginnings from
 * MIN_MESSAGE_PREFIX characters, so "refun" finds "refund". A beginning is personal only when every
 * word it starts is ("jan" of a masked "jane@…" alone). Beginnings are taken shortest first across
 * all words, so a long message keeps every word findable by its first characters before any gets
 * longer ones, and the count stays bounded (MAX_PREFIXES_PER_MESSAGE).
 */
export function indexedTerms(body: string): IndexedTerm[] {
  const words = messageWords(body);
  const terms: IndexedTerm[] = words.map((w) => ({ term: w.word, kind: 'word', personal: w.personal }));
  const perWord = words.map((w) => prefixesOf(w.word, MIN_MESSAGE_PREFIX));
  const prefixes = new Map<string, boolean>();
  const longest = Math.max(0, ...perWord.map((p) => p.length));
  for (let i = 0; i < longest; i += 1)
    words.forEach((w, j) => {
      const p = perWord[j]?.[i];
      if (p === undefined) return;
      const known = prefixes.get(p);
      if (known !== undefined) prefixes.set(p, known && w.personal);
      else if (prefixes.size < MAX_PREFIXES_PER_MESSAGE) prefixes.set(p, w.personal);
    });
  for (const [term, personal] of prefixes) terms.push({ term, kind: 'prefix', personal });
  return terms;
}

/** The words of a visitor's name and email and their prefixes (type-ahead); all personal. */
export function visitorWords(profile: { name: string | null; email: string | null }): {
  words: string[];
  prefixes: string[];
} {
  const words = [...new Set([...wordsOf(profile.name ?? ''), ...wordsOf(profile.email ?? '')])];
  const prefixes = [...new Set(words.flatMap(prefixesOf))].filter((p) => !words.includes(p));
  return { words, prefixes };
}
