import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Attachment, FILE_NAME_HEADER, UploadBody } from '../../../protocol/attachments.js';
import { Id } from '../../../protocol/common.js';
import { AppError } from '../../errors.js';
import { typed } from '../../platform/http/typed-routes.js';
import { clamdScanner } from '../../platform/malware/clamd-scanner.js';
import type { Agent } from '../auth/agent.js';
import { requestAuthor } from '../auth/request-author.js';
import { mayAccessConversation, scopeOfRequest } from '../handoff/scope.js';
import { mayOpenAttachment, viewAttachment, viewerOf } from '../privacy/views.js';
import { visitorOfRequest } from '../visitors/visitor-of-request.js';
import { presentAttachment } from './attachment.presenter.js';
import { readAttachment } from './read-attachment.js';
import { DOWNLOAD_RESPONSE, serveAttachment } from './serve-attachment.js';
import { storeAttachment } from './store-attachment.js';

const ConversationParams = Type.Object({ workspaceId: Id, conversationId: Id });
const AttachmentParams = Type.Object({ workspaceId: Id, attachmentId: Id });
const VisitorConversationParams = Type.Object({ conversationId: Id });
const VisitorAttachmentParams = Type.Object({ conversationId: Id, attachmentId: Id });
/**
 * The widget iframe holds no credential a script can read: it names its widget, and the request is
 * authenticated by that widget's visitor cookie (an `<img>` cannot send an Authorization header).
 */
const VisitorQuery = Type.Object({ widgetId: Type.Optional(Id) }, { additionalProperties: false });
/** `download=1`: answered as a file to save (`Content-Disposition: attachment`), even an image. */
const VisitorDownloadQuery = Type.Object(
  { widgetId: Type.Optional(Id), download: Type.Optional(Type.Literal('1')) },
  { additionalProperties: false },
);
const ID = new RegExp(Id.pattern as string);

/**
 * Files in conversations. Uploads are raw bytes (application/octet-stream, the name in `X-File-Name`)
 * up to the per-file limit; agents and API tokens with `messages:write` upload into conversations they
 * may reply to, a visitor into their own. Downloads go to whoever may read the conversation, through
 * the same confinement as its messages; never by a URL that works for anyone.
 */
export async function attachmentRoutes(root: FastifyInstance): Promise<void> {
  const app = typed(root);
  const limits = app.config.attachments;
  // Only this plugin's routes take bytes; everywhere else a body is JSON.
  root.addContentTypeParser(
    'application/octet-stream',
    { parseAs: 'buffer', bodyLimit: limits.maxFileBytes },
    (_request, body, done) => done(null, body),
  );
  // With PARLEY_CLAMD, every upload passes clamd before it is stored (scan-attachment.ts).
  const scanner = limits.clamd ? clamdScanner(limits.clamd) : null;
  const deps = () => ({
    db: app.db,
    vault: app.vault,
    store: app.attachmentStore,
    limits,
    scanner,
    log: app.log,
  });
  const perVisitor = root.createRateLimit({
    max: app.config.rateLimits['visitor-uploads'].max,
    timeWindow: app.config.rateLimits['visitor-uploads'].windowSeconds * 1000,
    keyGenerator: (request) =>
      `visitor-uploads:${(request as FastifyRequest & { uploader?: string }).uploader}`,
  });
  const upload = { bodyLimit: limits.maxFileBytes } as const;
  const reply = {
    access: { kind: 'member', permission: 'conversations.reply', tokenScope: 'messages:write' },
    upload: true,
  } as const;
  const read = {
    access: { kind: 'member', permission: 'conversations.read', tokenScope: 'conversations:read' },
  } as const;

  app.post(
    '/api/v1/workspaces/:workspaceId/conversations/:conversationId/attachments',
    {
      ...upload,
      schema: { params: ConversationParams, body: UploadBody, response: { 201: Attachment } },
      config: reply,
      // Scope before the body: a caller who may not write here is refused before a byte is read.
      preParsing: async (request, _res, payload) => {
        const { workspaceId, conversationId } = request.params as {
          workspaceId: string;
          conversationId: string;
        };
        if (!ID.test(workspaceId) || !ID.test(conversationId)) return payload;
        const scope = await scopeOfRequest(app.db, request, workspaceId);
        if (!(await mayAccessConversation(app.db, scope, conversationId)))
          throw new AppError('conversation_not_found');
        return payload;
      },
    },
    async (request, res) => {
      const { workspaceId, conversationId } = request.params;
      const author = requestAuthor(request);
      const stored = await storeAttachment(deps(), {
        workspaceId,
        conversationId,
        uploader: { kind: author.kind === 'api' ? 'api' : 'agent', id: author.id },
        ...fileNameOf(request.headers),
        content: bytesOf(request.body),
        ip: request.ip,
      });
      return res
        .code(201)
        .send(viewAttachment(presentAttachment(stored), viewerOf(request.agent, request.apiToken)));
    },
  );

  app.get(
    '/api/v1/workspaces/:workspaceId/attachments/:attachmentId',
    { schema: { params: AttachmentParams, response: { 200: DOWNLOAD_RESPONSE } }, config: read },
    async (request, res) => {
      const { workspaceId, attachmentId } = request.params;
      const opened = await readAttachment(deps(), { workspaceId, attachmentId });
      const scope = await scopeOfRequest(app.db, { agent: request.agent as Agent | null }, workspaceId);
      if (!(await mayAccessConversation(app.db, scope, opened.row.conversation_id)))
        throw new AppError('attachment_not_found');
      if (!mayOpenAttachment(opened.row.uploader_kind, viewerOf(request.agent, request.apiToken)))
        throw new AppError('attachment_masked');
      return serveAttachment(res, opened.row, opened.content);
    },
  );

  const visitorUpload = { access: { kind: 'visitor' }, upload: true } as const;
  app.post(
    '/api/v1/visitor/conversations/:conversationId/attachments',
    {
      ...upload,
      schema: {
        params: VisitorConversationParams,
        querystring: VisitorQuery,
        body: UploadBody,
        response: { 201: Attachment },
      },
      config: visitorUpload,
    },
    async (request, res) => {
      const visitor = await visitorOfRequest(app, request, request.query.widgetId);
      (request as FastifyRequest & { uploader?: string }).uploader = visitor.visitorId;
      const limit = await perVisitor(request);
      if (!limit.isAllowed && limit.isExceeded) {
        res.header('retry-after', String(Math.max(1, limit.ttlInSeconds)));
        throw new AppError('rate_limited');
      }
      const key = await app.vault.forConversation(app.db, request.params.conversationId);
      if (!key || key.visitorId !== visitor.visitorId) throw new AppError('conversation_not_found');
      const stored = await storeAttachment(deps(), {
        workspaceId: key.workspaceId,
        conversationId: request.params.conversationId,
        uploader: { kind: 'visitor', id: visitor.visitorId },
        ...fileNameOf(request.headers),
        content: bytesOf(request.body),
        ip: request.ip,
      });
      return res.code(201).send(presentAttachment(stored));
    },
  );

  app.get(
    '/api/v1/visitor/conversations/:conversationId/attachments/:attachmentId',
    {
      schema: {
        params: VisitorAttachmentParams,
        querystring: VisitorDownloadQuery,
        response: { 200: DOWNLOAD_RESPONSE },
      },
      config: { access: { kind: 'visitor' } },
    },
    async (request, res) => {
      const visitor = await visitorOfRequest(app, request, request.query.widgetId);
      const key = await app.vault.forConversation(app.db, request.params.conversationId);
      if (!key || key.visitorId !== visitor.visitorId) throw new AppError('attachment_not_found');
      const opened = await readAttachment(deps(), {
        workspaceId: key.workspaceId,
        attachmentId: request.params.attachmentId,
      });
      if (opened.row.conversation_id !== request.params.conversationId)
        throw new AppError('attachment_not_found');
      return serveAttachment(res, opened.row, opened.content, request.query.download === '1');
    },
  );
}

function bytesOf(body: unknown): Buffer {
  if (!Buffer.isBuffer(body))
    throw new AppError('unsupported_media_type', {
      message: 'Send the file itself as the body, with Content-Type: application/octet-stream.',
    });
  return body;
}

function fileNameOf(headers: Record<string, string | string[] | undefined>): { fileName?: string } {
  const raw = headers[FILE_NAME_HEADER];
  if (typeof raw !== 'string' || raw.length === 0) return {};
  if (raw.length > 1024)
    throw new AppError('invalid_request', { details: [`${FILE_NAME_HEADER}: too long`] });
  try {
    return { fileName: decodeURIComponent(raw) };
  } catch {
    throw new AppError('invalid_request', {
      details: [`${FILE_NAME_HEADER}: the file name, percent-encoded as UTF-8`],
    });
  }
}
