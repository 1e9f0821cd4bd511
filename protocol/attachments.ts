import { type Static, Type } from '@sinclair/typebox';
import { ATTACHMENT_KINDS, type AttachmentKind } from './attachment-kinds.js';
import { ATTACHMENT_LIMITS } from './attachment-limits.js';
import { Closed } from './responses.js';

export { ATTACHMENT_KINDS, type AttachmentKind } from './attachment-kinds.js';
export { ATTACHMENT_LIMITS, FILE_NAME_HEADER } from './attachment-limits.js';
export const ATTACHMENT_KIND_NAMES = Object.keys(ATTACHMENT_KINDS) as AttachmentKind[];

/** What a workspace accepts until an administrator narrows it: every kind there is. */
export const DEFAULT_ALLOWED_KINDS: readonly AttachmentKind[] = ATTACHMENT_KIND_NAMES;

export const AttachmentKindSchema = Type.Union(ATTACHMENT_KIND_NAMES.map((k) => Type.Literal(k)));
export type AttachmentKindSchema = Static<typeof AttachmentKindSchema>;

// common.ts embeds attachments in messages, so this file does not import it: the id and time shapes
// are those of common.ts's Id and IsoTime.
const Id = Type.String({ pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' });
const IsoTime = Type.String({ maxLength: 40 });

/** A stored attachment as clients see it; its content is fetched from its own address, never inlined. */
export const Attachment = Closed({
  id: Id,
  name: Type.String({ maxLength: ATTACHMENT_LIMITS.maxNameChars }),
  kind: AttachmentKindSchema,
  mediaType: Type.String(),
  size: Type.Integer({ minimum: 0 }),
  /** Pixels of an image after re-encoding; null for other files. */
  width: Type.Union([Type.Integer(), Type.Null()]),
  height: Type.Union([Type.Integer(), Type.Null()]),
  createdAt: IsoTime,
});
export type Attachment = Static<typeof Attachment>;

/** An upload's body: the file's bytes, sent as application/octet-stream. */
export const UploadBody = Type.Uint8Array({ minByteLength: 0 });

/** The files a message carries: ids of uploads of the same sender to the same conversation. */
export const AttachmentIds = Type.Array(Id, { minItems: 1, maxItems: ATTACHMENT_LIMITS.maxPerMessage });

/** The kinds a workspace accepts, as administrators set them. */
export const AttachmentSettingsBody = Type.Object(
  {
    allowedKinds: Type.Array(AttachmentKindSchema, {
      minItems: 0,
      maxItems: ATTACHMENT_KIND_NAMES.length,
      uniqueItems: true,
    }),
  },
  { additionalProperties: false },
);
export type AttachmentSettingsBody = Static<typeof AttachmentSettingsBody>;

export const AttachmentSettings = Closed({
  allowedKinds: Type.Array(AttachmentKindSchema),
  /** Every kind Parley can accept, for the settings screen. */
  knownKinds: Type.Array(AttachmentKindSchema),
  /** Null until an administrator changed the list: every known kind is accepted then. */
  updatedAt: Type.Union([IsoTime, Type.Null()]),
});
export type AttachmentSettings = Static<typeof AttachmentSettings>;
