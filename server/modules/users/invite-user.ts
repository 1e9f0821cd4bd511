import { randomUUID } from 'node:crypto';
import type { Role } from '../../../protocol/common.js';
import type { Config } from '../../config.js';
import { AppError } from '../../errors.js';
import { isoFromNow, nowIso } from '../../platform/clock.js';
import { hashSecret, newSecret } from '../../platform/crypto/tokens.js';
import type { Db } from '../../platform/db/schema.js';
import type { Mailer } from '../../platform/mail/mailer.js';
import { recordAuditEvent, type SecurityLogger } from '../audit/record-audit-event.js';
import { findWorkspace } from '../workspaces/lookups.js';
import { insertInvite, revokeInvites } from './invite.repository.js';
import { findUserByEmail, normalizeEmail } from './user.repository.js';

export const INVITE_TTL_MS = 72 * 3_600_000;

/**
 * Invites someone by email. The link carries a single-use 256-bit token in its fragment (never sent
 * to a server in a request line or Referer); only its hash is stored. A new invitation for the same
 * address replaces any earlier open one.
 */
export async function inviteUser(options: {
  db: Db;
  mailer: Mailer;
  config: Pick<Config, 'publicUrl'>;
  workspaceId: string;
  invitedBy: string;
  email: string;
  role: Role;
  ip: string | null;
  log?: SecurityLogger & { warn(obj: object, msg: string): void };
}) {
  const { db } = options;
  const email = normalizeEmail(options.email);
  if (await findUserByEmail(db, email)) throw new AppError('email_taken');
  const token = newSecret();
  const now = nowIso();
  const row = {
    id: randomUUID(),
    workspace_id: options.workspaceId,
    email,
    role: options.role,
    token_hash: hashSecret(token),
    invited_by: options.invitedBy,
    created_at: now,
    expires_at: isoFromNow(INVITE_TTL_MS),
    accepted_at: null,
    revoked_at: null,
  };
  await db.transaction().execute(async (trx) => {
    await revokeInvites(trx, options.workspaceId, { email }, now);
    await insertInvite(trx, row);
    await recordAuditEvent(
      trx,
      {
        workspaceId: options.workspaceId,
        actor: { type: 'user', id: options.invitedBy },
        action: 'user.invited',
        target: { type: 'invite', id: row.id },
        ip: options.ip,
        details: { role: options.role },
      },
      options.log,
    );
  });
  const workspace = await findWorkspace(db, options.workspaceId);
  const link = `${options.config.publicUrl}/invite#token=${token}`;
  let delivery: 'smtp' | 'outbox' | 'failed' = options.mailer.kind;
  try {
    await options.mailer.send({
      workspaceId: options.workspaceId,
      to: email,
      subject: `You are invited to ${workspace?.name ?? 'a workspace'} on Parley`,
      text: [
        `You have been invited to join ${workspace?.name ?? 'a workspace'} on Parley as ${options.role}.`,
        '',
        'Open this link to choose your name and password. It works once and expires in 72 hours:',
        '',
        link,
        '',
        'If you did not expect this invitation, ignore this message.',
      ].join('\n'),
      kind: 'invitation',
      expiresAt: row.expires_at,
    });
  } catch (err) {
    delivery = 'failed';
    options.log?.warn({ err: (err as Error).message, inviteId: row.id }, 'invitation mail not sent');
  }
  return { invite: row, delivery };
}
