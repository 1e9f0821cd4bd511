import { maskText } from '../privacy/masking.js';
import { prefixesOf, wordsOf } from './normalize.js';

export interface IndexedWord {
  word: string;
  /** Only in the text as part of what masking hides (an email, a phone or card number). */
  personal: boolean;
}

/** Who writes what the index takes: visitors, agents and the site's backend; not the bot's scripts. */
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
  const visible = new Set(wordsOf(maskText(body)));
  return wordsOf(body).map((word) => ({ word, personal: !visible.has(word) }));
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
