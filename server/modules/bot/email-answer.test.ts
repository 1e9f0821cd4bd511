import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../../protocol/languages.js';
import { VISITOR_CATALOGUES } from '../../i18n/visitor-texts.js';
import { readEmailAnswer } from './email-answer.js';

describe('an answer at an email step, in any language', () => {
  it('takes the Skip button’s label typed out in every language as a skip', () => {
    for (const lang of LANGUAGES) {
      expect(readEmailAnswer(VISITOR_CATALOGUES[lang].skip).kind, lang).toBe('skip');
    }
    expect(readEmailAnswer('Nein danke!').kind).toBe('skip');
  });

  it('reads a question by its question mark, the Arabic one too, and finds an address anywhere', () => {
    expect(readEmailAnswer('Verkaufen Sie Kajaks?').kind).toBe('question');
    expect(readEmailAnswer('هل تبيعون قوارب الكاياك؟').kind).toBe('question');
    expect(readEmailAnswer('klar, ada@example.com')).toEqual({ kind: 'email', email: 'ada@example.com' });
    expect(readEmailAnswer('keine Ahnung').kind).toBe('invalid');
  });
});
