import { type Static, Type } from '@sinclair/typebox';
import { Id, IsoTime } from './common.js';

export { ConversationChannel } from './common.js';

import { Closed } from './responses.js';

/** The platforms a workspace can connect, and an email inbox. */
export const ChannelKind = Type.Union([
  Type.Literal('email'),
  Type.Literal('telegram'),
  Type.Literal('whatsapp'),
  Type.Literal('messenger'),
  Type.Literal('instagram'),
]);
export type ChannelKind = Static<typeof ChannelKind>;

export const CHANNEL_LIMITS = {
  maxChannelsPerWorkspace: 20,
  maxNameChars: 80,
  maxCredentialChars: 512,
  /** A webhook request's body: platforms batch a few events, never megabytes of text. */
  maxWebhookBytes: 256 * 1024,
} as const;

const Credential = Type.String({
  minLength: 1,
  maxLength: CHANNEL_LIMITS.maxCredentialChars,
  pattern: '^\\S+$',
});

/** An email channel's inbound address: a plain address, lower-cased when stored. */
const InboundAddress = Type.String({
  minLength: 3,
  maxLength: 254,
  pattern:
    '^[^\\s@<>()",;:\\\\]+@[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$',
});

/**
 * What an administrator pastes from the platform. Email: the address customers write to. Telegram: the bot token from @BotFather.
 * WhatsApp: the access token, the app secret and the phone number id. Messenger and Instagram: the
 * page access token and the app secret.
 */
export const CreateChannelBody = Type.Object(
  {
    kind: ChannelKind,
    name: Type.String({ minLength: 1, maxLength: CHANNEL_LIMITS.maxNameChars, pattern: '\\S' }),
    widgetId: Id,
    botToken: Type.Optional(Credential),
    accessToken: Type.Optional(Credential),
    appSecret: Type.Optional(Credential),
    phoneNumberId: Type.Optional(Type.String({ minLength: 1, maxLength: 32, pattern: '^[0-9]+$' })),
    address: Type.Optional(InboundAddress),
  },
  { additionalProperties: false },
);
export type CreateChannelBody = Static<typeof CreateChannelBody>;

export const Channel = Closed({
  id: Id,
  kind: ChannelKind,
  name: Type.String(),
  widgetId: Id,
  /** `error` after a send the platform refused or that kept failing, until one works again. */
  status: Type.Union([Type.Literal('active'), Type.Literal('error')]),
  lastError: Type.Union([Type.String(), Type.Null()]),
  lastErrorAt: Type.Union([IsoTime, Type.Null()]),
  /** When the platform last delivered a verified webhook. */
  lastSeenAt: Type.Union([IsoTime, Type.Null()]),
  /** The address to give the platform. */
  webhookUrl: Type.String(),
  createdAt: IsoTime,
  /** An email channel's address customers write to; null for the platforms. */
  inboundAddress: Type.Union([Type.String(), Type.Null()]),
});
export type Channel = Static<typeof Channel>;

export const ChannelList = Closed({ items: Type.Array(Channel) });
export type ChannelList = Static<typeof ChannelList>;

/**
 * A new channel and, this once, the secret to give the platform: Telegram's `secret_token` of
 * setWebhook, or the verify token of Meta's webhook setup.
 */
export const ChannelCreated = Closed({ channel: Channel, webhookSecret: Type.String() });
export type ChannelCreated = Static<typeof ChannelCreated>;

/** Meta's subscription handshake (`GET <webhook>?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`). */
export const WebhookHandshakeQuery = Type.Object(
  {
    'hub.mode': Type.String({ maxLength: 32 }),
    'hub.verify_token': Type.String({ maxLength: 256 }),
    'hub.challenge': Type.String({ minLength: 1, maxLength: 256, pattern: '^[A-Za-z0-9_.-]+$' }),
  },
  { additionalProperties: false },
);

/** A platform's webhook body: kept raw (its signature covers the exact bytes), parsed after it verified. */
export const WebhookBody = Type.String({ maxLength: CHANNEL_LIMITS.maxWebhookBytes });
export const WebhookAccepted = Closed({ ok: Type.Boolean() });
