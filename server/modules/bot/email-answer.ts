import { visitorText } from '../../i18n/visitor-texts.js';
import { validateAttribute } from './validate-attribute.js';

export const SKIP_ACTION_ID = 'fs_skip';

/** The reply under an email question: the visitor may go on without giving one. */
export function skipAction(language: string | null) {
  return { id: SKIP_ACTION_ID, kind: 'reply' as const, label: visitorText(language, 'skip') };
}

/** "Skip" and "no thanks", also as the skip button reads in the other languages (server/i18n). */
const SKIP =
  /^\s*(skip|no thanks|no,? thanks|no|überspringen|nein danke|passer|non merci|omitir|no gracias|pular|não obrigado|salta|no grazie|overslaan|nee bedankt|pomiń|nie dziękuję|تخطٍّ|تخط|لا شكرا)\s*[.!]?\s*$/iu;

/** Words a question starts with, when the visitor leaves out the question mark. */
const QUESTION_START =
  /^(do|does|did|can|could|will|would|is|are|was|were|have|has|how|what|when|where|which|who|why|should|may)\b/i;

/**
 * What a visitor's message says at a step that asks for an email: the address (found anywhere in
 * the message, "sure, it is ada@example.com"); an attempt at one that is not valid; a wish to skip;
 * a question of its own ("Do you sell kayaks?"), which must be answered as such; or anything else,
 * which is a wrong answer and asked again.
 */
export function readEmailAnswer(
  body: string,
): { kind: 'email'; email: string } | { kind: 'invalid' } | { kind: 'skip' } | { kind: 'question' } {
  if (SKIP.test(body)) return { kind: 'skip' };
  const attempt = /[^\s@<>(),;:"]+@[^\s<>(),;:"]+/.exec(body)?.[0];
  if (!attempt) {
    const text = body.trim();
    // "؟" is the Arabic question mark.
    return /[?？؟]$/.test(text) || QUESTION_START.test(text) ? { kind: 'question' } : { kind: 'invalid' };
  }
  const email = validateAttribute('email', attempt.replace(/[.,!?]+$/, ''));
  return email ? { kind: 'email', email } : { kind: 'invalid' };
}
