import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { Id } from '../../../protocol/common.js';
import { Note, NoteBody } from '../../../protocol/data-protection.js';
import { ItemsOf } from '../../../protocol/responses.js';
import { AppError } from '../../errors.js';
import { typed } from '../../platform/http/typed-routes.js';
import type { Agent } from '../auth/agent.js';
import { mayAccessConversation, scopeOfAgent } from '../handoff/scope.js';
import { viewerOf, viewNote } from '../privacy/views.js';
import { addNote } from './add-note.js';
import { findConversationById } from './conversation.repository.js';
import { listNotes } from './list-notes.js';

const Params = Type.Object({ workspaceId: Id, conversationId: Id });
type Params = Static<typeof Params>;

export async function noteRoutes(root: FastifyInstance): Promise<void> {
  const app = typed(root);
  const path = '/api/v1/workspaces/:workspaceId/conversations/:conversationId/notes';
  // Operators only on conversations assigned to them or queued for them, as everywhere else.
  const inScope = async (p: Params, agent: Agent | null) => {
    const row = await findConversationById(app.db, p.conversationId);
    if (!row || row.workspace_id !== p.workspaceId) throw new AppError('conversation_not_found');
    if (agent && !(await mayAccessConversation(app.db, await scopeOfAgent(app.db, agent), row.id)))
      throw new AppError('conversation_not_found');
  };

  app.get(
    path,
    {
      schema: { params: Params, response: { 200: ItemsOf(Note) } },
      config: { access: { kind: 'member', permission: 'conversations.read' } },
    },
    async (request) => {
      await inScope(request.params, request.agent as Agent | null);
      const viewer = viewerOf(request.agent, request.apiToken);
      const notes = await listNotes({
        db: app.db,
        vault: app.vault,
        conversationId: request.params.conversationId,
      });
      return { items: notes.map((n) => viewNote(n, viewer)) };
    },
  );

  app.post(
    path,
    {
      schema: { params: Params, body: NoteBody, response: { 201: Note } },
      config: { access: { kind: 'member', permission: 'conversations.reply' } },
    },
    async (request, reply) => {
      await inScope(request.params, request.agent as Agent | null);
      const agent = request.agent as Agent;
      const note = await addNote({
        db: app.db,
        vault: app.vault,
        ...request.params,
        author: { id: agent.userId, name: agent.name },
        body: request.body.body,
      });
      return reply.code(201).send(viewNote(note, viewerOf(agent)));
    },
  );
}
