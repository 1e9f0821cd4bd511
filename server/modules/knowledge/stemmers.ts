import type { KnowledgeLanguage } from '../../../protocol/knowledge-api.js';

/**
 * Light suffix strippers. They need not produce real words, only the same stem for the forms a
 * customer writes ("refunds", "refunded", "refunding" → "refund"), on index and query alike.
 */
const EN_SUFFIXES: Array<[string, string, number]> = [
  // [suffix, replacement, minimum stem length left]
  ['ational', 'ate', 3],
  ['ations', '', 3],
  ['ation', '', 3],
  ['ments', '', 3],
  ['ment', '', 3],
  ['ness', '', 3],
  ['ables', '', 3],
  ['able', '', 3],
  ['ibles', '', 3],
  ['ible', '', 3],
  ['ingly', '', 3],
  ['ings', '', 3],
  ['ing', '', 3],
  ['ied', 'y', 2],
  ['ies', 'y', 2],
  ['edly', '', 3],
  ['ed', '', 3],
  ['ly', '', 3],
  ['sses', 'ss', 1],
  ['ss', 'ss', 1],
  ['us', 'us', 1],
  ['is', 'is', 1],
  ['s', '', 3],
];

function stemEnglish(word: string): string {
  let w = word;
  for (const [suffix, replacement, min] of EN_SUFFIXES) {
    if (w.endsWith(suffix) && w.length - suffix.length >= min) {
      w = w.slice(0, w.length - suffix.length) + replacement;
      break;
    }
  }
  // "charge"/"charged", "delivery"/"deliver": a final e or y carries no meaning for matching.
  if (w.length > 4 && (w.endsWith('e') || w.endsWith('y'))) w = w.slice(0, -1);
  // "shipping" → "shipp" → "ship"; "billing" and "bill" meet at "bil".
  if (w.length > 3 && w.at(-1) === w.at(-2) && !'aeious'.includes(w.at(-1) as string)) w = w.slice(0, -1);
  return w;
}

function stripSuffixes(suffixes: readonly string[]) {
  return (word: string): string => {
    for (const suffix of suffixes) {
      if (word.endsWith(suffix) && word.length - suffix.length >= 4) return word.slice(0, -suffix.length);
    }
    return word;
  };
}

const STEMMERS: Record<KnowledgeLanguage, (word: string) => string> = {
  en: stemEnglish,
  fr: stripSuffixes([
    'ements',
    'ement',
    'ations',
    'ation',
    'euses',
    'euse',
    'ees',
    'ee',
    'es',
    'er',
    'e',
    's',
    'x',
  ]),
  de: stripSuffixes(['ungen', 'ung', 'heit', 'keit', 'en', 'er', 'es', 'e', 'n', 's']),
  es: stripSuffixes([
    'aciones',
    'acion',
    'mente',
    'ados',
    'adas',
    'ado',
    'ada',
    'es',
    'os',
    'as',
    'o',
    'a',
    's',
  ]),
  pt: (word) => word,
  it: (word) => word,
  nl: (word) => word,
  pl: (word) => word,
  ar: (word) => word,
  other: (word) => word,
};

export function stem(language: KnowledgeLanguage, word: string): string {
  return STEMMERS[language](word);
}
