import type { AttributeKind } from '../../../protocol/flows.js';
import { LIMITS } from '../../../protocol/limits.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9 ().-]{5,32}$/;
const ORDER = /^[A-Za-z0-9][A-Za-z0-9-]{2,39}$/;

/** The visitor's answer, normalized, or null when it is not a valid value of that kind. */
export function validateAttribute(kind: AttributeKind, answer: string): string | null {
  const value = answer.trim();
  if (value.length === 0) return null;
  switch (kind) {
    case 'email':
      return value.length <= LIMITS.maxEmailChars && EMAIL.test(value) ? value : null;
    case 'phone':
      return PHONE.test(value) && /[0-9].*[0-9].*[0-9].*[0-9].*[0-9]/.test(value) ? value : null;
    case 'order_number':
      return ORDER.test(value) ? value.toUpperCase() : null;
    case 'text':
      return value.length <= LIMITS.maxCustomFieldChars ? value : null;
  }
}
