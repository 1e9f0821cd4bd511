import { randomBytes, randomUUID } from 'node:crypto';
import type { VisitorSession, VisitorSessionBody } from '../../../protocol/api.js';
import type { Language } from '../../../protocol/languages.js';
import type { Config } from '../../config.js';
import { AppError } from '../../errors.js';
import { languageOf } from '../../i18n/visitor-texts.js';
import { clock, nowIso } from '../../platform/clock.js';
import { hashSecret, newSecret } from '../../platform/crypto/tokens.js';
import type { Db, Executor, VisitorCredentialsTable, WidgetsTable } from '../../platform/db/schema.js';
import type { PubSub } from '../../platform/pubsub/pubsub.js';
import { storeGreeting } from '../bot/greeting.js';
import { createConversation } from '../conversations/create-conversation.js';
import { findLatestClosedConversation, findOpenConversationOfVisitor } from '../conversations/lookups.js';
import type { MessageStream } from '../conversations/message-stream.js';
import { announceMessage } from '../conversations/post-message.js';
import { setConversationLanguage } from '../conversations/set-conversation-language.js';
import type { Vault } from '../encryption/vault.js';
import { findWidgetById } from '../widgets/lookups.js';
import { prechatFormOf } from '../widgets/prechat.js';
import { allowedOriginsOf } from '../widgets/widget.presenter.js';
import { assertCredentialLive } from './credential-check.js';
import { resolveIdentifiedVisitor } from './identified-visitor.js';
import { assertVisitorOrigin } from './origin-policy.js';
import { verifiedUserId } from './verify-identity.js';
import {
  findCredentialByHash,
  findVisitor,
  insertCredential,
  insertVisitor,
  revokeCredential,
  touchVisitor,
} from './visitor.repository.js';

type Deps = {
  db: Db;
  vault: Vault;
  pubsub: PubSub;
  stream: MessageStream;
  config: Pick<Config, 'publicOrigin' | 'visitorIdleMs' | 'visitorAbsoluteMs'>;
};

/**
 * Starts or resumes a visitor's session for a widget embedded on `hostOrigin`. Resuming rotates the
 * credential: the presented one is revoked and a new one returned. A new visitor gets a new open
 * conversation, greeted by the bot. With a verified identity, the site's user id decides the
 * visitor (the same one on every device); a presented credential only carries its lifetime over.
 */
export async function startVisitorSession(
  options: Deps & { body: VisitorSessionBody; requestOrigin: string | undefined; cookieCredential?: string },
): Promise<VisitorSession> {
  const { db, config } = options;
  const widget = await findWidgetById(db, options.body.widgetId);
  if (!widget) throw new AppError('widget_not_found');
  const allowed = allowedOriginsOf(widget);
  assertVisitorOrigin(config, allowed, options.requestOrigin);
  if (!allowed.includes(options.body.hostOrigin)) throw new AppError('origin_not_allowed');
  const userId = verifiedUserId(options.vault.ring, widget, options.body.identity);
  const body =
    userId === null ? await withUsableCookie(db, options.body, options.cookieCredential) : options.body;
  const language = sessionLanguage(widget, body.language);

  const result = await db.transaction().execute(async (trx) => {
    const at = nowIso();
    let previous: VisitorCredentialsTable | null = null;
    let visitorId: string;
    let visitorName: string;
    let existed = Boolean(body.credential);
    if (userId !== null) {
      const identified = await resolveIdentifiedVisitor(trx, {
        widget,
        userId,
        presented: body.credential ?? options.cookieCredential,
        at,
      });
      ({ visitorId, visitorName, previous, existed } = identified);
    } else if (body.credential) {
      previous = assertCredentialLive(await findCredentialByHash(trx, hashSecret(body.credential)));
      if (previous.widget_id !== widget.id) throw new AppError('credential_invalid');
      if (!(await revokeCredential(trx, previous.id, at))) throw new AppError('credential_invalid');
      const visitor = await findVisitor(trx, previous.visitor_id);
      if (!visitor) throw new AppError('credential_invalid');
      // A verified user's history opens only with their identity, never with a credential alone.
      if (visitor.external_user_id !== null) throw new AppError('identity_required');
      await touchVisitor(trx, visitor.id, at);
      visitorId = visitor.id;
      visitorName = visitor.display_name;
    } else {
      visitorId = randomUUID();
      visitorName = `Visitor ${randomBytes(2).toString('hex')}`;
      await insertVisitor(trx, {
        id: visitorId,
        workspace_id: widget.workspace_id,
        widget_id: widget.id,
        display_name: visitorName,
        external_user_id: null,
        created_at: at,
        last_seen_at: at,
      });
    }
    const found = await findOpenConversationOfVisitor(trx, visitorId, widget.id);
    const open = found ? await setConversationLanguage(trx, found, language) : undefined;
    const conversation =
      open ??
      (await createConversation({
        language,
        db: trx,
        workspaceId: widget.workspace_id,
        widgetId: widget.id,
        visitorId,
        // After a closed conversation the visitor's next one continues it: agents see the link.
        previousConversationId: await findLatestClosedConversation(trx, visitorId, widget.id),
      }));
    // A new conversation and its greeting commit together.
    const greeting = open
      ? null
      : await storeGreeting(trx, {
          key: await options.vault.forVisitor(trx, widget.workspace_id, visitorId),
          stream: options.stream,
          conversationId: conversation.id,
          widget,
          language,
        });
    const credential = await issueCredential(trx, config, {
      workspaceId: widget.workspace_id,
      widgetId: widget.id,
      visitorId,
      hostOrigin: body.hostOrigin,
      firstIssuedAt: previous?.first_issued_at ?? at,
    });
    return { visitorId, visitorName, conversation, greeting, credential, existed };
  });

  if (result.greeting) await announceMessage(options, result.greeting);
  const prechat = await prechatFormOf(db, widget.id, result.conversation.id, language);
  return {
    credential: result.credential.token,
    credentialExpiresAt: result.credential.expiresAt,
    visitor: { id: result.visitorId, name: result.visitorName },
    conversationId: result.conversation.id,
    conversationStatus: result.conversation.status,
    widget: { id: widget.id, name: widget.name, botName: widget.bot_name, ...(prechat ? { prechat } : {}) },
    resumed: result.existed,
    language,
  };
}

/**
 * The conversation's language: the widget's default when it always uses it, else what the widget
 * shows (the schema let only a supported code through), else the default.
 */
function sessionLanguage(
  widget: Pick<WidgetsTable, 'default_language' | 'always_default_language'>,
  requested: Language | undefined,
): Language {
  const fallback = languageOf(widget.default_language);
  if (widget.always_default_language === 1) return fallback;
  return requested ?? fallback;
}

/**
 * A credential sent explicitly must be valid (else `credential_invalid`). One the browser sent by
 * itself in the visitor cookie that has expired or been revoked just means: a new visitor. So does
 * a cookie of a verified user when no identity comes with it (the site's user signed out).
 */
async function withUsableCookie(db: Executor, body: VisitorSessionBody, cookie: string | undefined) {
  if (body.credential || !cookie) return body;
  try {
    const row = assertCredentialLive(await findCredentialByHash(db, hashSecret(cookie)));
    if ((await findVisitor(db, row.visitor_id))?.external_user_id) return body;
    return { ...body, credential: cookie };
  } catch {
    return body;
  }
}

async function issueCredential(
  db: Executor,
  config: Deps['config'],
  o: { workspaceId: string; widgetId: string; visitorId: string; hostOrigin: string; firstIssuedAt: string },
) {
  const token = newSecret();
  const now = clock.now();
  const absolute = Math.min(Date.parse(o.firstIssuedAt) + config.visitorAbsoluteMs, Number.MAX_SAFE_INTEGER);
  const idle = Math.min(now + config.visitorIdleMs, absolute);
  const expiresAt = new Date(absolute).toISOString();
  await insertCredential(db, {
    id: randomUUID(),
    workspace_id: o.workspaceId,
    widget_id: o.widgetId,
    visitor_id: o.visitorId,
    token_hash: hashSecret(token),
    host_origin: o.hostOrigin,
    created_at: new Date(now).toISOString(),
    first_issued_at: o.firstIssuedAt,
    idle_expires_at: new Date(idle).toISOString(),
    expires_at: expiresAt,
    revoked_at: null,
  });
  return { token, expiresAt: new Date(idle).toISOString() };
}
