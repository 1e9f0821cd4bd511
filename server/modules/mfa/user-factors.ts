import type { Executor } from '../../platform/db/schema.js';
import { countPasskeys } from '../passkeys/list-passkeys.js';
import { findTotp } from './totp.repository.js';

/** Which second factors a user has set up (a TOTP setup counts once confirmed). */
export async function userFactors(
  db: Executor,
  userId: string,
): Promise<{ totp: boolean; passkeys: number }> {
  const [totp, passkeys] = await Promise.all([findTotp(db, userId), countPasskeys(db, userId)]);
  return { totp: Boolean(totp?.confirmed_at), passkeys };
}

export async function hasSecondFactor(db: Executor, userId: string): Promise<boolean> {
  const f = await userFactors(db, userId);
  return f.totp || f.passkeys > 0;
}
