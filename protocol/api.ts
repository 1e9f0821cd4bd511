import { type Static, Type } from '@sinclair/typebox';
import { AttachmentIds } from './attachments.js';
import { PublicLauncher } from './branding.js';
import {
  ClientId,
  ConversationStatus,
  Id,
  IsoTime,
  Message,
  MessageBody,
  QueryTime,
  Role,
  Seq,
} from './common.js';
import { VisitorIdentity } from './identity.js';
import { LanguageCode, Translations } from './language-schema.js';
import { LIMITS } from './limits.js';
import { PrechatForm } from './prechat.js';
import { PublicProactive } from './proactive.js';
import { Closed } from './responses.js';
import { StructuredContent } from './structured.js';

/** REST request and response shapes. All paths are under /api/v1. See docs/PROTOCOL.md. */

const Email = Type.String({ minLength: 3, maxLength: LIMITS.maxEmailChars, pattern: '^[^\\s@]+@[^\\s@]+$' });
const Password = Type.String({ minLength: 1, maxLength: LIMITS.maxPasswordChars });
const Name = Type.String({ minLength: 1, maxLength: LIMITS.maxNameChars });

/** An origin: scheme, host and optional port, nothing else (no path, no trailing slash). */
export const OriginString = Type.String({
  maxLength: 200,
  pattern: '^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$',
});

export const SetupBody = Type.Object(
  {
    token: Type.String({ minLength: 20, maxLength: 100 }),
    email: Email,
    name: Name,
    password: Password,
    workspaceName: Name,
  },
  { additionalProperties: false },
);
export type SetupBody = Static<typeof SetupBody>;

export const LoginBody = Type.Object({ email: Email, password: Password }, { additionalProperties: false });
export type LoginBody = Static<typeof LoginBody>;

/** 'full', or a signed-in session that still owes its second factor ('mfa') or MFA setup ('enroll'). */
export const SessionStage = Type.Union([Type.Literal('full'), Type.Literal('mfa'), Type.Literal('enroll')]);
export type SessionStage = Static<typeof SessionStage>;

export const Me = Closed({
  user: Closed({ id: Id, email: Type.String(), name: Type.String() }),
  workspace: Closed({ id: Id, name: Type.String() }),
  role: Role,
  stage: SessionStage,
});
export type Me = Static<typeof Me>;

export const SetupStatus = Closed({ needsSetup: Type.Boolean() });

export const GreetingTranslations = Translations(Type.String({ maxLength: LIMITS.maxGreetingChars }));

export const WidgetBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: LIMITS.maxWidgetNameChars }),
    allowedOrigins: Type.Array(OriginString, { minItems: 1, maxItems: LIMITS.maxAllowedOrigins }),
    greeting: Type.String({ maxLength: LIMITS.maxGreetingChars }),
    botName: Type.Optional(Type.String({ minLength: 1, maxLength: LIMITS.maxNameChars })),
    /** Only visitors whose identity the site vouches for (docs/PROTOCOL.md §2.6) may chat. */
    requireIdentity: Type.Optional(Type.Boolean()),
    /**
     * With an https:// Parley, plain http:// origins (other than loopback) are refused unless this is
     * true: a page served over http can be rewritten on its way, identity hash included.
     */
    allowInsecureOrigins: Type.Optional(Type.Boolean()),
    /** Agents may offer voice and video calls, and the iframe may ask for camera and microphone. */
    callsEnabled: Type.Optional(Type.Boolean()),
    /** The bot answers from the knowledge base at or above this confidence (percent). */
    botMinConfidence: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
    /** Unanswered questions in a row before the bot hands off to a person; 0 never does. */
    botHandoffAfterMisses: Type.Optional(Type.Integer({ minimum: 0, maximum: 10 })),
    /** The widget's language when none of the visitor's browser languages is supported (default en). */
    defaultLanguage: Type.Optional(LanguageCode),
    /** Always the default language, whatever the visitor's browser prefers. */
    alwaysDefaultLanguage: Type.Optional(Type.Boolean()),
    /** The greeting in other languages; `greeting` is said where none is given. */
    greetingTranslations: Type.Optional(GreetingTranslations),
  },
  { additionalProperties: false },
);
export const BOT_DEFAULTS = { minConfidence: 60, handoffAfterMisses: 2 } as const;
export type WidgetBody = Static<typeof WidgetBody>;
export const WidgetPatch = Type.Partial(WidgetBody, { additionalProperties: false });
export type WidgetPatch = Static<typeof WidgetPatch>;

export const Widget = Closed({
  id: Id,
  name: Type.String(),
  allowedOrigins: Type.Array(Type.String()),
  greeting: Type.String(),
  botName: Type.String(),
  botMinConfidence: Type.Integer(),
  botHandoffAfterMisses: Type.Integer(),
  embedSnippet: Type.String(),
  requireIdentity: Type.Boolean(),
  allowInsecureOrigins: Type.Boolean(),
  callsEnabled: Type.Boolean(),
  /** The team this widget's handoffs queue for (PUT /widgets/:widgetId/team); null: anyone. */
  teamId: Type.Union([Id, Type.Null()]),
  defaultLanguage: LanguageCode,
  alwaysDefaultLanguage: Type.Boolean(),
  greetingTranslations: GreetingTranslations,
  createdAt: IsoTime,
});
export type Widget = Static<typeof Widget>;

export const ListQuery = Type.Object(
  {
    status: Type.Optional(
      Type.Union([
        Type.Literal('open'),
        Type.Literal('pending'),
        Type.Literal('snoozed'),
        Type.Literal('resolved'),
        Type.Literal('closed'),
        Type.Literal('all'),
      ]),
    ),
    /** `mine`: assigned to the caller; `unassigned`: nobody's (queued, or never handed to people). */
    view: Type.Optional(Type.Union([Type.Literal('mine'), Type.Literal('unassigned'), Type.Literal('all')])),
    before: Type.Optional(QueryTime),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.listPageSize })),
  },
  { additionalProperties: false },
);

export const MessagesQuery = Type.Object(
  {
    afterSeq: Type.Optional(Seq),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.replayPageSize })),
  },
  { additionalProperties: false },
);

/** A page of a conversation's messages after `afterSeq`, and the conversation's last seq. */
export const MessagePage = Closed({ items: Type.Array(Message), lastSeq: Seq });

/** The answer to a posted message: 201 when stored, 200 when this clientId was already stored. */
export const MessagePosted = Closed({ seq: Seq, createdAt: IsoTime, duplicate: Type.Boolean() });

export const SendMessageBody = Type.Object(
  {
    clientId: ClientId,
    body: MessageBody,
    parts: Type.Optional(StructuredContent.properties.parts),
    attachmentIds: Type.Optional(AttachmentIds),
  },
  { additionalProperties: false },
);

/** Visitor side: the widget iframe starts or resumes a visitor session. */
export const VisitorSessionBody = Type.Object(
  {
    widgetId: Id,
    /** Origin of the page embedding the widget, as the iframe learned it from postMessage's event.origin. */
    hostOrigin: OriginString,
    /** The credential from a previous visit, if the iframe stored one. It is rotated on success. */
    credential: Type.Optional(Type.String({ minLength: 20, maxLength: 100 })),
    /** The site's signed-in user and its HMAC, passed through from the loader (docs/PROTOCOL.md §2.6). */
    identity: Type.Optional(VisitorIdentity),
    /**
     * The language the widget shows (from the browser's languages, within the widget's settings).
     * A new conversation keeps it; the bot speaks it. A widget set to always use its default ignores it.
     */
    language: Type.Optional(LanguageCode),
  },
  { additionalProperties: false },
);
export type VisitorSessionBody = Static<typeof VisitorSessionBody>;

export const VisitorSession = Closed({
  credential: Type.String(),
  credentialExpiresAt: IsoTime,
  visitor: Closed({ id: Id, name: Type.String() }),
  conversationId: Id,
  /**
   * The conversation's lifecycle status now: a widget loaded onto a resolved, pending or snoozed
   * conversation says so at once (a closed one is never resumed: the visitor gets a new one).
   */
  conversationStatus: ConversationStatus,
  widget: Closed({
    id: Id,
    name: Type.String(),
    botName: Type.String(),
    /** The pre-chat form, when the widget asks details before the first message (protocol/prechat.ts). */
    prechat: Type.Optional(PrechatForm),
  }),
  resumed: Type.Boolean(),
  /** The conversation's language: what the bot speaks in it. */
  language: LanguageCode,
});
export type VisitorSession = Static<typeof VisitorSession>;

/** Either send `Authorization: Bearer <credential>`, or name the widget and let the visitor cookie speak. */
export const TicketBody = Type.Object({ widgetId: Type.Optional(Id) }, { additionalProperties: false });
export type TicketBody = Static<typeof TicketBody>;

export const Ticket = Closed({ ticket: Type.String(), expiresAt: IsoTime });

export type Ticket = Static<typeof Ticket>;

/**
 * What the loader may know before the chat opens: the launcher's words in the visitor's language
 * (picked from the request's Accept-Language within the widget's settings), so the loader carries
 * no catalogue. `unread` holds `{n}`.
 */
export const LauncherLabels = Closed({
  lang: LanguageCode,
  region: Type.String(),
  open: Type.String(),
  unread: Type.String(),
});
export type LauncherLabels = Static<typeof LauncherLabels>;

/** What the loader asks before it shows a launcher: the widget, how its launcher looks, and its words. */
export const PublicWidget = Closed({
  id: Id,
  name: Type.String(),
  launcher: PublicLauncher,
  words: LauncherLabels,
  /** Calls are on: the loader lets the iframe ask for camera and microphone (`allow`). */
  calls: Type.Boolean(),
  /** The proactive message rule, when the widget has one on (protocol/proactive.ts). */
  proactive: Type.Optional(PublicProactive),
});
export type PublicWidget = Static<typeof PublicWidget>;
