import { randomUUID } from 'node:crypto';
import { MFA_LIMITS } from '../../../protocol/mfa.js';
import { AppError } from '../../errors.js';
import { clock } from '../../platform/clock.js';
import { hashSecret } from '../../platform/crypto/tokens.js';
import type { Executor } from '../../platform/db/schema.js';
import type { ChallengePurpose } from '../../platform/db/schema-mfa.js';
import { consumeChallenge, insertChallenge } from './challenge.repository.js';

interface Binding {
  purpose: ChallengePurpose;
  workspaceId: string | null;
  userId: string | null;
  /** The session that asked for it; a challenge for one session is useless to another. */
  sessionId: string | null;
}

/** Remembers a challenge just sent to the browser: only its hash, for five minutes, for one use. */
export async function rememberChallenge(db: Executor, challenge: string, binding: Binding): Promise<void> {
  const now = clock.now();
  await insertChallenge(db, {
    id: randomUUID(),
    workspace_id: binding.workspaceId,
    user_id: binding.userId,
    session_id: binding.sessionId,
    purpose: binding.purpose,
    challenge_hash: hashSecret(challenge),
    created_at: new Date(now).toISOString(),
    expires_at: new Date(now + MFA_LIMITS.challengeTtlMs).toISOString(),
  });
}

/**
 * Takes the challenge out of the client's signed data and uses it up. Returns it for the signature
 * check; refuses one that is unknown, used, expired, or issued for another purpose or session.
 */
export async function takeChallenge(
  db: Executor,
  clientDataJSON: string,
  expected: Pick<Binding, 'purpose' | 'sessionId'>,
): Promise<string> {
  let challenge: unknown;
  try {
    challenge = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8')).challenge;
  } catch {
    throw new AppError('passkey_invalid');
  }
  if (typeof challenge !== 'string' || challenge.length > 200) throw new AppError('passkey_invalid');
  const row = await consumeChallenge(db, hashSecret(challenge));
  if (
    !row ||
    row.purpose !== expected.purpose ||
    row.session_id !== expected.sessionId ||
    clock.now() >= Date.parse(row.expires_at)
  ) {
    throw new AppError('webauthn_challenge_invalid');
  }
  return challenge;
}
