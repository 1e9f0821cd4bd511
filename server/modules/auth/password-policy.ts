import { dictionary } from '@zxcvbn-ts/language-common';
import { AppError } from '../../errors.js';

let blocklist: ReadonlySet<string> | null = null;

/** The ~49,000 most common passwords from zxcvbn-ts, loaded once, compared case-insensitively. */
function commonPasswords(): ReadonlySet<string> {
  blocklist ??= new Set((dictionary['passwords-common'] as readonly string[]).map((p) => p.toLowerCase()));
  return blocklist;
}

/**
 * NIST SP 800-63B / ASVS V6 rules: a minimum length, no composition rules, no truncation (the whole
 * string is hashed; up to 256 characters are accepted), and no password from the common-password list,
 * nor one built from the account's own email or name or from one repeated character or word.
 */
export function checkPasswordPolicy(
  password: string,
  options: { minLength: number; email?: string; name?: string },
): void {
  const length = [...password].length;
  if (length < options.minLength) {
    throw new AppError('weak_password', {
      message: `Choose a password of at least ${options.minLength} characters.`,
    });
  }
  const lower = password.toLowerCase();
  const personal = [
    options.email?.toLowerCase(),
    options.email?.split('@')[0]?.toLowerCase(),
    options.name?.toLowerCase(),
  ].filter((s): s is string => !!s && s.length >= 4);
  if (
    commonPasswords().has(lower) ||
    commonPasswords().has(lower.replace(/[\d\W_]+$/u, '')) ||
    (/^(.+?)\1+$/u.test(lower) &&
      commonPasswords().has((/^(.+?)\1+$/u.exec(lower) as RegExpExecArray)[1] as string)) ||
    /^(.)\1+$/u.test(lower) ||
    personal.some((p) => lower === p || lower.replace(/[\d\W_]+$/u, '') === p)
  ) {
    throw new AppError('common_password');
  }
}
