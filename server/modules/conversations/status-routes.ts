import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { EmptyBody, Id } from '../../../protocol/common.js';
import {
  ConversationCounts,
  type PerStatus,
  ResolveConversationBody,
  SnoozeBody,
  StatusChange,
  Timeline,
  type TimelineEvent,
} from '../../../protocol/lifecycle.js';
import { can } from '../../../protocol/permissions.js';
import { AppError } from '../../errors.js';
import type { Agent } from '../auth/agent.js';
import { listHandoffTimeline } from '../handoff/handoff-timeline.js';
import { mayAccessConversation, scopeOfAgent } from '../handoff/scope.js';
import { presenceTtlMs } from '../handoff/service-defaults.js';
import { maskText } from '../privacy/masking.js';
import { viewerOf } from '../privacy/views.js';
import { findConversationById } from './conversation.repository.js';
import { countByStatus, listConversationEvents } from './lifecycle.repository.js';
import { INBOX_STATUSES } from './lifecycle-policy.js';
import { messageDeps } from './message-plugin.js';
import { reopenConversation } from './reopen-conversation.js';
import { resolveConversation } from './resolve-conversation.js';
import { setConversationPending } from './set-conversation-pending.js';
import { snoozeConversation } from './snooze-conversation.js';

const WorkspaceParams = Type.Object({ workspaceId: Id });
const ConversationParams = Type.Object({ workspaceId: Id, conversationId: Id });
type ConversationParams = Static<typeof ConversationParams>;

/**
 * The conversation lifecycle: resolve, reopen, pending, snooze (agents, confined by
 * handoff/scope.ts for reads and writes), the inbox tabs' counts and the transcript's system events.
 */
export async function conversationStatusRoutes(
  app: FastifyInstance,
  options: { heartbeatIntervalMs: number },
): Promise<void> {
  const base = '/api/v1/workspaces/:workspaceId/conversations';
  const read = { access: { kind: 'member', permission: 'conversations.read' } } as const;
  const reply = { access: { kind: 'member', permission: 'conversations.reply' } } as const;
  const changed = { response: { 200: StatusChange } };
  const agentOf = (request: { agent: unknown }) => request.agent as Agent;
  const deps = () => ({ db: app.db, vault: app.vault, pubsub: app.pubsub });
  const target = async (request: { agent: unknown; params: ConversationParams }) => {
    const agent = agentOf(request);
    return {
      workspaceId: request.params.workspaceId,
      conversationId: request.params.conversationId,
      scope: await scopeOfAgent(app.db, agent),
      actor: { kind: 'agent' as const, id: agent.userId },
    };
  };

  app.get<{ Params: Static<typeof WorkspaceParams> }>(
    `${base}/counts`,
    { schema: { params: WorkspaceParams, response: { 200: ConversationCounts } }, config: read },
    async (request) => {
      const agent = agentOf(request);
      const rows = await countByStatus(app.db, {
        workspaceId: request.params.workspaceId,
        scope: await scopeOfAgent(app.db, agent),
        userId: agent.userId,
      });
      const empty = (): PerStatus => ({ open: 0, pending: 0, snoozed: 0, resolved: 0 });
      const counts = { mine: empty(), unassigned: empty(), all: empty() };
      for (const r of rows) {
        if (!(INBOX_STATUSES as readonly string[]).includes(r.status)) continue;
        const s = r.status as keyof PerStatus;
        counts.mine[s] = r.mine;
        counts.unassigned[s] = r.unassigned;
        counts.all[s] = r.all;
      }
      return counts;
    },
  );

  app.post<{ Params: ConversationParams; Body: Static<typeof ResolveConversationBody> }>(
    `${base}/:conversationId/resolve`,
    { schema: { params: ConversationParams, body: ResolveConversationBody, ...changed }, config: reply },
    async (request) => {
      const agent = agentOf(request);
      const t = await target(request);
      await resolveConversation(
        { ...messageDeps(app), presenceTtlMs: presenceTtlMs(options.heartbeatIntervalMs) },
        {
          ...t,
          actor: { userId: agent.userId, supervises: can(agent.role, 'queries.manage') },
          code: request.body.code ?? null,
          ...(request.body.note?.trim() ? { note: request.body.note } : {}),
        },
      );
      return { id: t.conversationId, status: 'resolved' as const };
    },
  );

  app.post<{ Params: ConversationParams }>(
    `${base}/:conversationId/reopen`,
    { schema: { params: ConversationParams, body: EmptyBody, ...changed }, config: reply },
    async (request) => {
      const { to } = await reopenConversation(deps(), await target(request));
      return { id: request.params.conversationId, status: to };
    },
  );

  app.post<{ Params: ConversationParams }>(
    `${base}/:conversationId/pending`,
    { schema: { params: ConversationParams, body: EmptyBody, ...changed }, config: reply },
    async (request) => {
      const { to } = await setConversationPending(deps(), await target(request));
      return { id: request.params.conversationId, status: to };
    },
  );

  app.post<{ Params: ConversationParams; Body: Static<typeof SnoozeBody> }>(
    `${base}/:conversationId/snooze`,
    { schema: { params: ConversationParams, body: SnoozeBody, ...changed }, config: reply },
    async (request) => {
      const { to } = await snoozeConversation(deps(), {
        ...(await target(request)),
        until: request.body.until,
      });
      return { id: request.params.conversationId, status: to };
    },
  );

  // The transcript's system events: status changes and the handoff (assignments, transfers, ratings).
  app.get<{ Params: ConversationParams }>(
    `${base}/:conversationId/events`,
    { schema: { params: ConversationParams, response: { 200: Timeline } }, config: read },
    async (request) => {
      const { workspaceId, conversationId } = request.params;
      const agent = agentOf(request);
      const row = await findConversationById(app.db, conversationId);
      if (
        !row ||
        row.workspace_id !== workspaceId ||
        !(await mayAccessConversation(app.db, await scopeOfAgent(app.db, agent), conversationId))
      )
        throw new AppError('conversation_not_found');
      const own: TimelineEvent[] = (await listConversationEvents(app.db, conversationId)).map((e) => ({
        kind: e.kind,
        at: e.occurred_at,
        // A visitor is named by the conversation, not by id.
        actor:
          e.actor_kind === 'visitor' ? { kind: 'visitor', id: null } : { kind: e.actor_kind, id: e.actor_id },
        ...(e.kind === 'resolved' ? { code: e.detail } : {}),
        ...(e.kind === 'snoozed' ? { until: e.detail } : {}),
      }));
      const personalData = viewerOf(request.agent, request.apiToken).personalData;
      const handoff = (await listHandoffTimeline(app.db, app.vault, conversationId)).map((e) =>
        e.comment && !personalData ? { ...e, comment: maskText(e.comment) } : e,
      );
      const items = [...own, ...handoff].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
      return { items };
    },
  );
}
