import type { FastifyBaseLogger } from 'fastify';
import { AppError } from '../../errors.js';
import type { Db } from '../../platform/db/schema.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { deleteChannel } from './channel.repository.js';

/**
 * Disconnects a platform: its credentials and secret are deleted, so its webhooks are refused from
 * now on and nothing more is sent. Its conversations and visitors stay, under the widget's retention,
 * like any other; an agent's reply in one of them is stored but no longer goes out. Audited.
 */
export async function removeChannel(
  deps: { db: Db; log: FastifyBaseLogger },
  o: { workspaceId: string; channelId: string; actorId: string; ip: string },
): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    if (!(await deleteChannel(trx, o.workspaceId, o.channelId))) throw new AppError('channel_not_found');
    await recordAuditEvent(
      trx,
      {
        workspaceId: o.workspaceId,
        actor: { type: 'user', id: o.actorId },
        action: 'channel.removed',
        target: { type: 'channel', id: o.channelId },
        ip: o.ip,
      },
      deps.log,
    );
  });
}
