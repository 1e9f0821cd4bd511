import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { EmptyBody, Id } from '../../../protocol/common.js';
import { can } from '../../../protocol/permissions.js';
import { ItemsOf } from '../../../protocol/responses.js';
import {
  AgentSettings,
  AgentSettingsBody,
  AssignBody,
  PresenceBody,
  PresenceState,
  Query,
  QueryChange,
  QueryCounts,
  QueryListQuery,
  ResolveBody,
  SERVICE_LIMITS,
  ServiceAgent,
  TransferBody,
} from '../../../protocol/service.js';
import { AppError } from '../../errors.js';
import { typed } from '../../platform/http/typed-routes.js';
import type { Agent } from '../auth/agent.js';
import { publishConversationStatus } from '../conversations/events.js';
import { messageDeps } from '../conversations/message-plugin.js';
import { maskText } from '../privacy/masking.js';
import { viewerOf } from '../privacy/views.js';
import {
  ensureAgentSettings,
  findActiveMember,
  findTeamIdsOf,
  setAgentCapacity,
} from './agent.repository.js';
import { askForRating } from './ask-for-rating.js';
import { assignQuery } from './assign-query.js';
import { resolveQuery } from './close-query.js';
import { listAgents } from './list-agents.js';
import { setPresence } from './presence.js';
import { publishQueryChange, type ServiceDeps } from './publish-query.js';
import { presentQuery } from './query.presenter.js';
import { findQuery, listQueries, listQueryEvents } from './query.repository.js';
import { inScope, isConfined, scopeOfAgent } from './scope.js';
import { defaultCapacity, presenceTtlMs } from './service-defaults.js';
import { transferQuery } from './transfer-query.js';

const WorkspaceParams = Type.Object({ workspaceId: Id });
const QueryParams = Type.Object({ workspaceId: Id, queryId: Id });
const UserParams = Type.Object({ workspaceId: Id, userId: Id });
type QueryParams = Static<typeof QueryParams>;

/** Queries (the handoff queue), assignment, transfer, resolution, presence and agent capacity. */
export async function serviceRoutes(
  root: FastifyInstance,
  options: { heartbeatIntervalMs: number },
): Promise<void> {
  const app = typed(root);
  const base = '/api/v1/workspaces/:workspaceId';
  const read = { access: { kind: 'member', permission: 'conversations.read' } } as const;
  const reply = { access: { kind: 'member', permission: 'conversations.reply' } } as const;
  const supervise = { access: { kind: 'member', permission: 'queries.manage' } } as const;
  const manage = { access: { kind: 'member', permission: 'service.manage' } } as const;
  const deps = (): ServiceDeps => ({
    db: app.db,
    vault: app.vault,
    pubsub: app.pubsub,
    presenceTtlMs: presenceTtlMs(options.heartbeatIntervalMs),
  });
  const agentOf = (request: { agent: unknown }) => request.agent as Agent;

  /** Masks visitor text for roles without personal-data.read. */
  const view = (query: Query, agent: Agent): Query => {
    if (viewerOf(agent).personalData) return query;
    const mask = (t: string | null) => (t === null ? null : maskText(t));
    return {
      ...query,
      origin: { ...query.origin, pageUrl: mask(query.origin.pageUrl), referrer: mask(query.origin.referrer) },
      resolution: query.resolution ? { ...query.resolution, note: mask(query.resolution.note) } : null,
      rating: query.rating ? { ...query.rating, comment: mask(query.rating.comment) } : null,
    };
  };

  /** A query the agent may see; outside their scope it answers like one that does not exist. */
  const visibleQuery = async (params: QueryParams, agent: Agent) => {
    const row = await findQuery(app.db, params.workspaceId, params.queryId);
    if (!row) throw new AppError('query_not_found');
    const facts = {
      workspaceId: row.workspace_id,
      visitorId: null,
      queryState: row.state,
      assigneeId: row.assignee_id,
      teamId: row.team_id,
    };
    if (!inScope(facts, await scopeOfAgent(app.db, agent))) throw new AppError('query_not_found');
    return row;
  };

  app.get(
    `${base}/queries`,
    {
      schema: { params: WorkspaceParams, querystring: QueryListQuery, response: { 200: ItemsOf(Query) } },
      config: read,
    },
    async (request) => {
      const agent = agentOf(request);
      const rows = await listQueries(app.db, {
        workspaceId: request.params.workspaceId,
        view: request.query.view ?? 'queue',
        userId: agent.userId,
        scope: await scopeOfAgent(app.db, agent),
        limit: SERVICE_LIMITS.maxListItems,
      });
      const items: Query[] = [];
      for (const row of rows) {
        const key = await app.vault.forConversation(app.db, row.conversation_id);
        items.push(view(presentQuery(row, key), agent));
      }
      return { items };
    },
  );

  // The live counts beside the queue and "mine" views.
  app.get(
    `${base}/queries/counts`,
    { schema: { params: WorkspaceParams, response: { 200: QueryCounts } }, config: read },
    async (request) => {
      const agent = agentOf(request);
      const scope = await scopeOfAgent(app.db, agent);
      const count = async (view: 'queue' | 'mine') =>
        (
          await listQueries(app.db, {
            workspaceId: request.params.workspaceId,
            view,
            userId: agent.userId,
            scope,
            limit: SERVICE_LIMITS.maxListItems,
          })
        ).length;
      return { queue: await count('queue'), mine: await count('mine') };
    },
  );

  app.get(
    `${base}/queries/:queryId`,
    { schema: { params: QueryParams, response: { 200: Query } }, config: read },
    async (request) => {
      const agent = agentOf(request);
      const row = await visibleQuery(request.params, agent);
      const key = await app.vault.forConversation(app.db, row.conversation_id);
      return view(presentQuery(row, key, await listQueryEvents(app.db, row.id)), agent);
    },
  );

  // An agent takes a query from the queue (capacity applies; "away" does not stop a manual pick).
  app.post(
    `${base}/queries/:queryId/pick`,
    { schema: { params: QueryParams, body: EmptyBody, response: { 200: QueryChange } }, config: reply },
    async (request) => {
      const agent = agentOf(request);
      const row = await visibleQuery(request.params, agent);
      const outcome = await assignQuery({
        db: app.db,
        workspaceId: agent.workspaceId,
        queryId: row.id,
        userId: agent.userId,
        role: agent.role,
        actorId: agent.userId,
        mode: 'pick',
        enforceCapacity: isConfined(agent),
      });
      if (outcome === 'taken') throw new AppError('query_taken');
      if (outcome === 'at_capacity') throw new AppError('at_capacity');
      await publishQueryChange(deps(), {
        workspaceId: agent.workspaceId,
        conversationId: row.conversation_id,
      });
      return { id: row.id, state: 'assigned' as const, assigneeId: agent.userId };
    },
  );

  // A supervisor gives a query to someone (from the queue or from another agent).
  app.post(
    `${base}/queries/:queryId/assign`,
    { schema: { params: QueryParams, body: AssignBody, response: { 200: QueryChange } }, config: supervise },
    async (request) => {
      const agent = agentOf(request);
      const target = await memberOf(request.params.workspaceId, request.body.userId);
      const row = await visibleQuery(request.params, agent);
      const { formerAssigneeId } = await transferQuery({
        db: app.db,
        vault: app.vault,
        workspaceId: agent.workspaceId,
        queryId: row.id,
        actor: { userId: agent.userId, name: agent.name, supervises: true },
        to: { userId: target.id, role: target.role },
      });
      await publishQueryChange(deps(), {
        workspaceId: agent.workspaceId,
        conversationId: row.conversation_id,
        formerAssigneeId,
      });
      return { id: row.id, state: 'assigned' as const, assigneeId: target.id };
    },
  );

  app.post(
    `${base}/queries/:queryId/transfer`,
    { schema: { params: QueryParams, body: TransferBody, response: { 200: QueryChange } }, config: reply },
    async (request) => {
      const agent = agentOf(request);
      const { userId, teamId, note } = request.body;
      if ((userId === undefined) === (teamId === undefined))
        throw new AppError('invalid_request', { details: ['name exactly one of userId and teamId'] });
      const row = await visibleQuery(request.params, agent);
      const to = userId
        ? { userId, role: (await memberOf(agent.workspaceId, userId)).role }
        : { teamId: teamId as string };
      const { formerAssigneeId } = await transferQuery({
        db: app.db,
        vault: app.vault,
        workspaceId: agent.workspaceId,
        queryId: row.id,
        actor: { userId: agent.userId, name: agent.name, supervises: can(agent.role, 'queries.manage') },
        to,
        ...(note ? { note } : {}),
      });
      await publishQueryChange(deps(), {
        workspaceId: agent.workspaceId,
        conversationId: row.conversation_id,
        formerAssigneeId,
      });
      return { id: row.id };
    },
  );

  app.post(
    `${base}/queries/:queryId/resolve`,
    { schema: { params: QueryParams, body: ResolveBody, response: { 200: QueryChange } }, config: reply },
    async (request) => {
      const agent = agentOf(request);
      const row = await visibleQuery(request.params, agent);
      const { conversationId, formerAssigneeId } = await resolveQuery({
        db: app.db,
        vault: app.vault,
        workspaceId: agent.workspaceId,
        queryId: row.id,
        actor: { userId: agent.userId, supervises: can(agent.role, 'queries.manage') },
        code: request.body.code,
        ...(request.body.note ? { note: request.body.note } : {}),
      });
      // The conversation was resolved with its query: the widget and open views hear it.
      await publishConversationStatus({ pubsub: app.pubsub, conversationId, status: 'resolved' });
      await askForRating({
        ...messageDeps(app),
        conversationId,
        queryId: row.id,
      });
      await publishQueryChange(deps(), { workspaceId: agent.workspaceId, conversationId, formerAssigneeId });
      return { id: row.id, state: 'resolved' as const };
    },
  );

  // Everyone on the team with presence, capacity and load: the transfer picker and supervisors' view.
  app.get(
    `${base}/agents`,
    { schema: { params: WorkspaceParams, response: { 200: ItemsOf(ServiceAgent) } }, config: reply },
    async (request) => {
      const agents = await listAgents({
        db: app.db,
        workspaceId: request.params.workspaceId,
        presenceTtlMs: deps().presenceTtlMs,
      });
      return { items: agents.map(({ lastAssignedAt: _, ...a }) => a) };
    },
  );

  // The signed-in agent's own presence: "away" keeps the socket but stops automatic assignment.
  app.put(
    `${base}/presence`,
    {
      schema: { params: WorkspaceParams, body: PresenceBody, response: { 200: PresenceState } },
      config: reply,
    },
    async (request) => {
      const agent = agentOf(request);
      await setPresence(app.db, agent, request.body.status);
      if (request.body.status === 'online')
        await publishQueryChange(deps(), { workspaceId: agent.workspaceId });
      return { status: request.body.status };
    },
  );

  app.put(
    `${base}/agents/:userId/settings`,
    {
      schema: { params: UserParams, body: AgentSettingsBody, response: { 200: AgentSettings } },
      config: manage,
    },
    async (request) => {
      const member = await memberOf(request.params.workspaceId, request.params.userId);
      await ensureAgentSettings(app.db, {
        userId: member.id,
        workspaceId: request.params.workspaceId,
        capacity: defaultCapacity(member.role),
      });
      await setAgentCapacity(app.db, member.id, request.body.capacity);
      await publishQueryChange(deps(), { workspaceId: request.params.workspaceId });
      return {
        userId: member.id,
        capacity: request.body.capacity,
        teamIds: await findTeamIdsOf(app.db, member.id),
      };
    },
  );

  async function memberOf(workspaceId: string, userId: string) {
    const row = await findActiveMember(app.db, workspaceId, userId);
    if (!row) throw new AppError('user_not_found');
    return row;
  }
}
