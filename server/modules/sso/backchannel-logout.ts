import { AppError } from '../../errors.js';
import type { KeyRing } from '../../platform/crypto/key-ring.js';
import type { Db } from '../../platform/db/schema.js';
import type { PubSub } from '../../platform/pubsub/pubsub.js';
import { recordAuditEvent, type SecurityLogger } from '../audit/record-audit-event.js';
import { announceEndedSessions, revokeSessions } from '../auth/end-session.js';
import { openClientSecret } from './client-secret.js';
import { providerConfiguration, verifyLogoutToken } from './oidc-client.js';
import { findProvider } from './provider.repository.js';
import { deleteOidcSessions, findOidcSessions } from './sign-in.repository.js';

/**
 * The provider says a user signed out there: the Parley sessions it opened for that provider
 * session (`sid`), or for that user (`sub`), end now, and their sockets close on every node.
 */
export async function backchannelLogout(o: {
  db: Db;
  ring: KeyRing;
  pubsub: PubSub;
  providerId: string;
  logoutToken: string;
  ip: string | null;
  log?: SecurityLogger;
}): Promise<number> {
  const provider = await findProvider(o.db, o.providerId);
  if (!provider) throw new AppError('logout_token_invalid');
  let claims: { sub?: string; sid?: string };
  try {
    const configured = await providerConfiguration(
      provider,
      openClientSecret(o.ring, provider.client_secret, provider.id),
    );
    claims = await verifyLogoutToken(configured, {
      issuer: provider.issuer,
      clientId: provider.client_id,
      token: o.logoutToken,
    });
  } catch (err) {
    o.log?.info(
      {
        security: true,
        event: 'auth.oidc.logout_refused',
        err: { message: (err as Error).message },
        ip: o.ip,
      },
      'back-channel logout refused',
    );
    throw new AppError('logout_token_invalid');
  }
  const ended = await o.db.transaction().execute(async (trx) => {
    const sessions = await findOidcSessions(trx, {
      providerId: provider.id,
      ...(claims.sid ? { sid: claims.sid } : {}),
      ...(claims.sub ? { subject: claims.sub } : {}),
    });
    const ids = sessions.map((s) => s.session_id);
    await revokeSessions(trx, ids);
    await deleteOidcSessions(trx, ids);
    await recordAuditEvent(
      trx,
      {
        workspaceId: provider.workspace_id,
        actor: { type: 'system' },
        action: 'auth.oidc.backchannel_logout',
        target: { type: 'oidc_provider', id: provider.id },
        ip: o.ip,
        details: { sessionsEnded: ids.length, bySid: Boolean(claims.sid) },
      },
      o.log,
    );
    return ids;
  });
  await announceEndedSessions(o.pubsub, ended);
  return ended.length;
}
