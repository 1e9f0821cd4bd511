import type { OutboxMail } from '../../../protocol/users-api.js';
import { nowIso } from '../../platform/clock.js';
import type { KeyRing } from '../../platform/crypto/key-ring.js';
import type { Db } from '../../platform/db/schema.js';
import { listOutbox } from '../../platform/mail/outbox.repository.js';
import { openOutboxBody } from '../../platform/mail/outbox-body.js';
import { normalizeEmail } from './user.repository.js';

/**
 * Who reads the outbox: an administrator of the workspace in the dashboard, or the host operator
 * with `parley outbox`, who holds the database and the master key anyway.
 */
export type OutboxReader = { kind: 'administrator'; email: string } | { kind: 'host-operator' };

/** A link that carries a one-time token in its fragment: what opens an account. */
const TOKEN_LINK = /\S+#token=[A-Za-z0-9_-]+/g;

/**
 * Mail whose links still work, newest first, opened. Administrators see invitation links (whoever
 * may invite may pass an invitation on) and the links of mail addressed to themselves; a password
 * reset link for anyone else is hidden from them, because whoever opens it can choose that person's
 * password and act in their name. The host operator sees every link, to pass on to its owner.
 */
export async function listOutboxMail(options: {
  db: Db;
  ring: KeyRing;
  workspaceId: string | null;
  reader: OutboxReader;
}): Promise<Array<OutboxMail & { workspaceId: string }>> {
  const { reader } = options;
  const rows = await listOutbox(options.db, options.workspaceId, nowIso());
  return rows.map((r) => {
    const text = openOutboxBody(options.ring, r.id, r.body);
    const mayUseLink =
      reader.kind === 'host-operator' ||
      r.kind === 'invitation' ||
      normalizeEmail(r.to_address) === normalizeEmail(reader.email);
    const body = mayUseLink
      ? text
      : text.replace(
          TOKEN_LINK,
          `[link hidden: only ${r.to_address} may use it; \`parley outbox\` on the server prints it]`,
        );
    return {
      id: r.id,
      workspaceId: r.workspace_id,
      to: r.to_address,
      subject: r.subject,
      body,
      kind: r.kind,
      linkHidden: body !== text,
      createdAt: r.created_at,
      expiresAt: r.expires_at,
    };
  });
}
