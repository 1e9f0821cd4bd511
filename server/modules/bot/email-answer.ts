import { validateAttribute } from './validate-attribute.js';

/** The reply under an email question: the visitor may go on without giving one. */
export const SKIP_ACTION = { id: 'fs_skip', kind: 'reply' as const, label: 'Skip' };

/**
 * What a visitor's message says at a step that asks for an email: the address (found anywhere in
 * the message, "sure, it is ada@example.com"); an attempt at one that is not valid; a wish to skip;
 * or none of these, which is a question or remark of its own and must be answered as such.
 */
export function readEmailAnswer(
  body: string,
): { kind: 'email'; email: string } | { kind: 'invalid' } | { kind: 'skip' } | { kind: 'other' } {
  if (/^\s*(skip|no thanks|no,? thanks|no)\s*[.!]?\s*$/i.test(body)) return { kind: 'skip' };
  const attempt = /[^\s@<>(),;:"]+@[^\s<>(),;:"]+/.exec(body)?.[0];
  if (!attempt) return { kind: 'other' };
  const email = validateAttribute('email', attempt.replace(/[.,!?]+$/, ''));
  return email ? { kind: 'email', email } : { kind: 'invalid' };
}
