import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { Id } from '../../../protocol/common.js';
import { type AuditEntry, AuditPage, AuditQuery } from '../../../protocol/users-api.js';
import { typed } from '../../platform/http/typed-routes.js';
import { listMembers } from '../users/lookups.js';
import { listAuditEvents } from './audit.repository.js';

/** The audit log viewer's API: newest first, filterable, paged by seq. */
export async function auditRoutes(root: FastifyInstance): Promise<void> {
  const app = typed(root);
  app.get(
    '/api/v1/workspaces/:workspaceId/audit',
    {
      schema: {
        response: { 200: AuditPage },
        params: Type.Object({ workspaceId: Id }),
        querystring: AuditQuery,
      },
      config: { access: { kind: 'member', permission: 'audit.read' } },
    },
    async (request) => {
      const { workspaceId } = request.params;
      const q = request.query;
      const rows = await listAuditEvents(app.db, workspaceId, {
        ...(q.action ? { action: q.action } : {}),
        ...(q.actorId ? { actorId: q.actorId } : {}),
        ...(q.targetId ? { targetId: q.targetId } : {}),
        ...(q.since ? { since: q.since } : {}),
        ...(q.until ? { until: q.until } : {}),
        ...(q.beforeSeq ? { beforeSeq: q.beforeSeq } : {}),
        limit: q.limit ?? 50,
      });
      const names = new Map((await listMembers(app.db, workspaceId)).map((m) => [m.id, m.name]));
      const items: AuditEntry[] = rows.map((r) => ({
        seq: Number(r.seq),
        occurredAt: r.occurred_at,
        actor: {
          type: r.actor_type,
          id: r.actor_id,
          name: r.actor_type === 'user' && r.actor_id ? (names.get(r.actor_id) ?? null) : null,
        },
        action: r.action,
        target: r.target_type && r.target_id ? { type: r.target_type, id: r.target_id } : null,
        ip: r.ip,
        details: JSON.parse(r.details) as AuditEntry['details'],
        hash: r.hash,
      }));
      const last = items.at(-1);
      return { items, nextBeforeSeq: items.length === (q.limit ?? 50) && last ? last.seq : null };
    },
  );
}
