import { clock } from '../../platform/clock.js';
import type { KeyRing } from '../../platform/crypto/key-ring.js';
import type { Executor } from '../../platform/db/schema.js';
import type { TotpCredentialsTable } from '../../platform/db/schema-mfa.js';
import { matchTotpStep } from './totp.js';
import { advanceTotpStep } from './totp.repository.js';
import { openTotpSecret } from './totp-secret-seal.js';

/**
 * True when `code` is valid within ±1 step and its step is later than any accepted before; that step
 * then becomes the last used one, so the same code (or an older one) never works twice.
 */
export async function acceptTotpCode(
  db: Executor,
  ring: KeyRing,
  row: TotpCredentialsTable,
  code: string,
): Promise<boolean> {
  const secret = openTotpSecret(ring, row.user_id, row.secret_sealed);
  const step = matchTotpStep(secret, code, clock.now());
  return step !== null && (await advanceTotpStep(db, row.id, step));
}
