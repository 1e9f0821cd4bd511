import { type Static, Type } from '@sinclair/typebox';
import { Id, IsoTime } from './common.js';
import { Translations } from './language-schema.js';
import { Closed } from './responses.js';
import { STRUCTURED_LIMITS } from './structured.js';

/**
 * Bot flows, the external bot webhook and business hours, per widget. See docs/PROTOCOL.md §2.10.
 * A flow is a small graph of steps; the server validates its shape here and its graph (references,
 * cycles) in server/modules/flows/check-flow.ts.
 */
export const FLOW_LIMITS = {
  maxSteps: 50,
  maxButtons: STRUCTURED_LIMITS.maxActions,
  maxTextChars: 1000,
  maxRetries: 5,
  maxFlowsPerWidget: 20,
  maxNameChars: 80,
} as const;

const StepId = Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9_-]+$' });
const Text = Type.String({ minLength: 1, maxLength: FLOW_LIMITS.maxTextChars });
const Label = Type.String({ minLength: 1, maxLength: STRUCTURED_LIMITS.maxLabelChars });
/** The key under which an answer is stored in the visitor's profile (custom fields). */
const FieldKey = Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_.-]{0,39}$' });
const Next = Type.Optional(StepId);
/** The same text in other languages: the bot says the one of the conversation's language, else `text`. */
const Texts = Type.Optional(Translations(Text));

export const FlowButton = Type.Object(
  {
    label: Label,
    /** The label in other languages. */
    labels: Type.Optional(Translations(Label)),
    next: Next,
    /** Pressing it records the visitor's marketing/contact consent for the lead (yes or no). */
    consent: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const AttributeKind = Type.Union([
  Type.Literal('email'),
  Type.Literal('phone'),
  Type.Literal('order_number'),
  Type.Literal('text'),
]);
export type AttributeKind = Static<typeof AttributeKind>;

export const FlowStep = Type.Union([
  Type.Object(
    { id: StepId, kind: Type.Literal('message'), text: Text, texts: Texts, next: Next },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      id: StepId,
      kind: Type.Literal('buttons'),
      text: Text,
      texts: Texts,
      buttons: Type.Array(FlowButton, { minItems: 1, maxItems: FLOW_LIMITS.maxButtons }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      id: StepId,
      kind: Type.Literal('ask'),
      text: Text,
      texts: Texts,
      attribute: AttributeKind,
      /** Where the answer goes: email and phone fill those profile fields; others a custom field. */
      field: Type.Optional(FieldKey),
      retryText: Type.Optional(Text),
      retryTexts: Texts,
      maxRetries: Type.Optional(Type.Integer({ minimum: 0, maximum: FLOW_LIMITS.maxRetries })),
      next: Next,
    },
    { additionalProperties: false },
  ),
  Type.Object(
    { id: StepId, kind: Type.Literal('checkpoint'), name: FieldKey, next: Next },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      id: StepId,
      kind: Type.Literal('handoff'),
      text: Type.Optional(Text),
      texts: Texts,
      /** Kept as given; the queue routes on it. */
      teamId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    },
    { additionalProperties: false },
  ),
]);
export type FlowStep = Static<typeof FlowStep>;

export const FlowDefinition = Type.Object(
  {
    start: StepId,
    steps: Type.Array(FlowStep, { minItems: 1, maxItems: FLOW_LIMITS.maxSteps }),
  },
  { additionalProperties: false },
);
export type FlowDefinition = Static<typeof FlowDefinition>;

/** How a flow starts: on the visitor's first message, or from a quick reply under the greeting. */
export const FlowTrigger = Type.Union([
  Type.Literal('first_message'),
  Type.Literal('quick_reply'),
  Type.Literal('off'),
]);
export type FlowTrigger = Static<typeof FlowTrigger>;

export const FlowBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: FLOW_LIMITS.maxNameChars }),
    trigger: FlowTrigger,
    /** The quick-reply button's label (trigger quick_reply); defaults to the name. */
    label: Type.Optional(Label),
    /** That label in other languages: the button under the greeting says the conversation's. */
    labels: Type.Optional(Translations(Label)),
    definition: FlowDefinition,
  },
  { additionalProperties: false },
);
export type FlowBody = Static<typeof FlowBody>;

export const Flow = Closed({
  id: Id,
  widgetId: Id,
  name: Type.String(),
  trigger: FlowTrigger,
  label: Type.Union([Type.String(), Type.Null()]),
  labels: Translations(Type.String()),
  version: Type.Integer(),
  definition: FlowDefinition,
  updatedAt: IsoTime,
});
export type Flow = Static<typeof Flow>;

/** Weekly opening hours in the widget's IANA time zone; `day` 0 is Sunday. */
export const BusinessHours = Type.Object(
  {
    enabled: Type.Boolean(),
    timeZone: Type.String({ minLength: 1, maxLength: 64 }),
    weekly: Type.Array(
      Type.Object(
        {
          day: Type.Integer({ minimum: 0, maximum: 6 }),
          open: Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' }),
          close: Type.String({ pattern: '^([01][0-9]|2[0-4]):[0-5][0-9]$' }),
        },
        { additionalProperties: false },
      ),
      { maxItems: 28 },
    ),
    holidays: Type.Array(Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' }), { maxItems: 100 }),
  },
  { additionalProperties: false },
);
export type BusinessHours = Static<typeof BusinessHours>;

export const ExternalBotBody = Type.Object(
  {
    enabled: Type.Boolean(),
    url: Type.Union([Type.String({ minLength: 8, maxLength: 2000 }), Type.Null()]),
  },
  { additionalProperties: false },
);
export type ExternalBotBody = Static<typeof ExternalBotBody>;

export const ExternalBotSettings = Closed({
  enabled: Type.Boolean(),
  url: Type.Union([Type.String(), Type.Null()]),
  hasSecret: Type.Boolean(),
});
export type ExternalBotSettings = Static<typeof ExternalBotSettings>;

/** Shown once, when created or rotated; the site verifies each request's signature with it. */
export const ExternalBotSecret = Closed({ secret: Type.String() });
export type ExternalBotSecret = Static<typeof ExternalBotSecret>;

/** The settings as saved; `secret` only when saving created one (shown once). */
export const ExternalBotSaved = Closed({
  enabled: Type.Boolean(),
  url: Type.Union([Type.String(), Type.Null()]),
  hasSecret: Type.Boolean(),
  secret: Type.Optional(Type.String()),
});

/** What the site's webhook answers. Anything else counts as a failure and hands off. */
export const ExternalBotResponse = Type.Object(
  {
    replies: Type.Array(
      Type.Object(
        {
          text: Type.String({ minLength: 1, maxLength: 4000 }),
          parts: Type.Optional(Type.Array(Type.Unknown(), { maxItems: STRUCTURED_LIMITS.maxParts })),
          actions: Type.Optional(
            Type.Array(
              Type.Object(
                {
                  id: Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9_-]+$' }),
                  label: Label,
                },
                { additionalProperties: false },
              ),
              { maxItems: STRUCTURED_LIMITS.maxActions },
            ),
          ),
        },
        { additionalProperties: false },
      ),
      { maxItems: 3 },
    ),
    handoff: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type ExternalBotResponse = Static<typeof ExternalBotResponse>;
