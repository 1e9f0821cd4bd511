import type { Executor } from '../../platform/db/schema.js';
import type { WebauthnChallengesTable } from '../../platform/db/schema-mfa.js';

/** Stores a challenge (its hash) and sweeps expired ones, so the table never grows without bound. */
export async function insertChallenge(db: Executor, row: WebauthnChallengesTable): Promise<void> {
  await db.deleteFrom('webauthn_challenges').where('expires_at', '<', row.created_at).execute();
  await db.insertInto('webauthn_challenges').values(row).execute();
}

/** Deletes and returns the challenge in one statement: a challenge is answered once at most. */
export function consumeChallenge(db: Executor, challengeHash: string) {
  return db
    .deleteFrom('webauthn_challenges')
    .where('challenge_hash', '=', challengeHash)
    .returningAll()
    .executeTakeFirst();
}
