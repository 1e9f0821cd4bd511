import type { Executor } from '../../platform/db/schema.js';
import { clearExternalUserIds } from './identified-visitor.repository.js';
import { revokeCredentialsOfVisitors } from './visitor.repository.js';

/**
 * Forgets which of the site's users these visitors are (visitor data TTL, storage off), inside the
 * caller's transaction. Their credentials are revoked too: a verified user's history opens only with
 * their identity, and with the identity gone a credential alone would open it. The site's next
 * verified start for that user begins a new visitor. Returns the visitors it changed.
 */
export async function forgetVerifiedIdentities(
  db: Executor,
  o: { visitorIds: readonly string[]; at: string; seenBefore?: string },
): Promise<string[]> {
  const cleared = await clearExternalUserIds(db, o.visitorIds, o.seenBefore);
  await revokeCredentialsOfVisitors(db, cleared, o.at);
  return cleared;
}
