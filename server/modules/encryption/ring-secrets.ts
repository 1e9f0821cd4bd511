import type { KeyRing } from '../../platform/crypto/key-ring.js';
import type { Db } from '../../platform/db/schema.js';
import { countBotSecretsByKek, rewrapBotSecrets } from '../bot/rewrap-bot-secrets.js';
import { countChannelSecretsByKek, rewrapChannelSecrets } from '../channels/channel-secrets.js';
import { countBindPasswordsByKek, rewrapBindPasswords } from '../directory/rewrap-bind-passwords.js';
import { countTotpSecretsByKek, resealTotpSecrets } from '../mfa/reseal-totp-secrets.js';
import { countClientSecretsByKek, rewrapClientSecrets } from '../sso/client-secret.js';
import { countGrantTokensByKek, rewrapGrantTokens } from '../sso/grant-tokens.js';
import { countOutboxMailByKek, resealOutboxMail } from '../users/reseal-outbox-mail.js';
import { countIdentitySecretsByKek, resealIdentitySecrets } from '../widgets/reseal-identity-secrets.js';

/** One kind of value sealed directly under the master key ring rather than under a data key. */
export interface RingSecrets {
  /** What `parley keys` calls them. */
  readonly label: string;
  /** What becomes of those not under the ring yet, for `keys status`. */
  readonly unsealed: string;
  /** How many each master key wraps; `null` counts those not under the ring yet (sealed at start). */
  countByKek(db: Db): Promise<Map<string | null, number>>;
  /** Re-wraps every one under an older master key with the ring's current key; returns how many. */
  rewrap(o: { db: Db; ring: KeyRing }): Promise<number>;
}

/**
 * Everything besides the data keys that `parley keys rotate` must re-wrap before an old master key
 * can be retired, and that `keys status` counts. A new kind of ring-sealed value belongs here.
 */
const SEALED_AT_START = 'are not under the master key ring yet: the next start seals them.';

export const RING_SECRETS: readonly RingSecrets[] = [
  {
    label: 'widget identity secrets',
    unsealed: SEALED_AT_START,
    countByKek: countIdentitySecretsByKek,
    rewrap: resealIdentitySecrets,
  },
  {
    label: 'TOTP secrets',
    unsealed:
      'are still sealed with the retired mfa.key / PARLEY_MFA_KEY: a start that has that key moves them under the master key ring (docs/OPERATIONS.md).',
    countByKek: countTotpSecretsByKek,
    rewrap: resealTotpSecrets,
  },
  {
    label: 'outbox mails',
    unsealed: SEALED_AT_START,
    countByKek: countOutboxMailByKek,
    rewrap: resealOutboxMail,
  },
  {
    label: 'bot signing secrets',
    unsealed: SEALED_AT_START,
    countByKek: countBotSecretsByKek,
    rewrap: rewrapBotSecrets,
  },
  {
    label: 'sign-in provider client secrets',
    unsealed: SEALED_AT_START,
    countByKek: countClientSecretsByKek,
    rewrap: rewrapClientSecrets,
  },
  {
    label: 'sign-in provider refresh tokens',
    unsealed: SEALED_AT_START,
    countByKek: countGrantTokensByKek,
    rewrap: rewrapGrantTokens,
  },
  {
    label: 'channel credentials and webhook secrets',
    unsealed: 'are not under the master key ring: remove the channel and connect it again.',
    countByKek: countChannelSecretsByKek,
    rewrap: rewrapChannelSecrets,
  },
  {
    label: 'directory search passwords',
    unsealed: 'are not under the master key ring: save the directory’s search password again.',
    countByKek: countBindPasswordsByKek,
    rewrap: rewrapBindPasswords,
  },
];

export interface RingSecretCount {
  label: string;
  unsealed: string;
  /** Per master key id; `null` for those not under the ring yet. */
  byKek: Map<string | null, number>;
}

export async function countRingSecrets(db: Db): Promise<RingSecretCount[]> {
  const out: RingSecretCount[] = [];
  for (const kind of RING_SECRETS)
    out.push({ label: kind.label, unsealed: kind.unsealed, byKek: await kind.countByKek(db) });
  return out;
}

/** How many values of all kinds some master key other than `kekId` still wraps. */
export function underOtherKeys(counts: RingSecretCount[], kekId: string): number {
  let n = 0;
  for (const c of counts) for (const [kek, count] of c.byKek) if (kek !== null && kek !== kekId) n += count;
  return n;
}

/** How many values of all kinds are sealed under any master key. */
export function underAnyKey(counts: RingSecretCount[]): number {
  let n = 0;
  for (const c of counts) for (const [kek, count] of c.byKek) if (kek !== null) n += count;
  return n;
}
