import type { Config } from '../../config.js';
import type { KeyRing } from '../../platform/crypto/key-ring.js';
import type { Db } from '../../platform/db/schema.js';
import { legacyMfaKeyFile, openMfaKeySealed, readLegacyMfaKey } from './legacy-mfa-key.js';
import { listTotpSecrets, replaceTotpSecret } from './totp.repository.js';
import { isMfaKeySealed, sealTotpSecret } from './totp-secret-seal.js';

export interface TotpMove {
  /** Moved under the master key ring by this run. */
  moved: number;
  /** Still sealed with mfa.key: this node has no such key, or not the one they were sealed with. */
  left: number;
  /** Where this node found the old key, or null when it has none. */
  keyFrom: string | null;
  /** Where the old key would be looked for, for the log line that says what to do. */
  keyFile: string;
}

/**
 * At every start: TOTP secrets that earlier versions sealed with their own key (PARLEY_MFA_KEY or
 * `mfa.key`) are opened with it and sealed under the master key ring. Without that key they stay as
 * they are, unusable but intact, so that putting the key back and restarting still moves them; each
 * node moves those its key opens (several nodes may each have made their own `mfa.key`).
 */
export async function moveTotpSecretsToRing(o: {
  db: Db;
  ring: KeyRing;
  config: Pick<Config, 'mfaKey' | 'dataDir'>;
}): Promise<TotpMove> {
  const rows = (await listTotpSecrets(o.db)).filter((r) => isMfaKeySealed(r.secret_sealed));
  const keyFile = legacyMfaKeyFile(o.config);
  if (rows.length === 0) return { moved: 0, left: 0, keyFrom: null, keyFile };
  const legacy = readLegacyMfaKey(o.config);
  if (!legacy) return { moved: 0, left: rows.length, keyFrom: null, keyFile };
  let moved = 0;
  for (const row of rows) {
    let secret: string;
    try {
      secret = openMfaKeySealed(legacy.key, row.user_id, row.secret_sealed);
    } catch {
      continue;
    }
    const sealed = sealTotpSecret(o.ring, row.user_id, secret);
    if (await replaceTotpSecret(o.db, row.id, row.secret_sealed, sealed)) moved += 1;
  }
  const left = (await listTotpSecrets(o.db)).filter((r) => isMfaKeySealed(r.secret_sealed)).length;
  return { moved, left, keyFrom: legacy.from, keyFile };
}
