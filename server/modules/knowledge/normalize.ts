import type { KnowledgeLanguage } from '../../../protocol/knowledge-api.js';
import { stem } from './stemmers.js';
import { isStopWord } from './stop-words.js';
import { synonymTable } from './synonyms.js';

const WORD = /[\p{L}\p{N}]+/gu;

/** Lower case, accents folded ("Rückerstattung" → "ruckerstattung"), apostrophes and inner hyphens dropped ("don't" → "dont", "e-mail" → "email"). */
export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/['’]/g, '')
    .replace(/(\p{L})-(\p{L})/gu, '$1$2')
    .toLowerCase();
}

/** Two-word verbs that mean one thing, folded before splitting into words (English). */
const EN_PHRASES: Array<[RegExp, string]> = [
  [/\b(sign|log|logging|signing) (in|on)(to)?\b/g, 'login'],
  [/\bsign(ing)? up\b/g, 'register'],
  [
    /\b(send|sent|sending|give|giving|ship|post|bring) (it |them |this |that |something |stuff )?back\b/g,
    'return',
  ],
  [/\bmoney back\b/g, 'refund'],
  [/\b(two|2) ?(step|factor)\b|\b2fa\b/g, 'twofactor'],
  [/\bcall(ed)? off\b/g, 'cancel'],
  [/\bopt(ed)? (me )?out\b/g, 'unsubscribe'],
  [/\b(show|showed|shown|turn|turned) up\b/g, 'arrive'],
];

/**
 * The terms a text contributes to the index or a query: folded words, stop words dropped, synonyms
 * folded onto one word, then stemmed. Index and query go through the same function, so they meet.
 */
export function normalizeTerms(language: KnowledgeLanguage, text: string): string[] {
  const synonyms = synonymTable(language);
  const terms: string[] = [];
  let folded = foldText(text);
  if (language === 'en') for (const [re, word] of EN_PHRASES) folded = folded.replace(re, word);
  for (const match of folded.matchAll(WORD)) {
    const word = match[0];
    if (isStopWord(language, word)) continue;
    const stemmed = stem(language, word);
    terms.push(synonyms.get(word) ?? synonyms.get(stemmed) ?? stemmed);
  }
  return terms;
}

/** Words that ask for a person rather than an answer, after folding and in any supported language. */
const HANDOFF_WORDS = new Set([
  'agent',
  'human',
  'person',
  'operator',
  'representative',
  'humain',
  'conseiller',
  'mensch',
  'menschen',
  'mitarbeiter',
  'persona',
  'pessoa',
  'atendente',
  'operatore',
  'medewerker',
  'konsultant',
  'konsultantem',
  'شخص',
  'موظف',
]);

/** "Can I collect it in person?" is a question about collecting, not a request for a person. */
export function asksForPerson(text: string): boolean {
  const folded = foldText(text).replace(/\bin person\b/g, ' ');
  for (const match of folded.matchAll(WORD)) if (HANDOFF_WORDS.has(match[0])) return true;
  return /\breal people\b/.test(folded);
}
