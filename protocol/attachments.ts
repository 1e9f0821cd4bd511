import { type Static, Type } from '@sinclair/typebox';
import { Closed } from './responses.js';

/**
 * The kinds of file Parley accepts as attachments. The kind is decided from the content (magic
 * bytes), never from the name or the client's MIME type; a workspace allows a subset of these.
 */
export const ATTACHMENT_KINDS = {
  png: { mediaType: 'image/png', extensions: ['png'], image: true, label: 'PNG image' },
  jpeg: { mediaType: 'image/jpeg', extensions: ['jpg', 'jpeg'], image: true, label: 'JPEG image' },
  gif: { mediaType: 'image/gif', extensions: ['gif'], image: true, label: 'GIF image' },
  webp: { mediaType: 'image/webp', extensions: ['webp'], image: true, label: 'WebP image' },
  pdf: { mediaType: 'application/pdf', extensions: ['pdf'], image: false, label: 'PDF document' },
  text: { mediaType: 'text/plain; charset=utf-8', extensions: ['txt'], image: false, label: 'Text file' },
  docx: {
    mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    extensions: ['docx'],
    image: false,
    label: 'Word document',
  },
  xlsx: {
    mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    extensions: ['xlsx'],
    image: false,
    label: 'Excel spreadsheet',
  },
  pptx: {
    mediaType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    extensions: ['pptx'],
    image: false,
    label: 'PowerPoint presentation',
  },
  odt: {
    mediaType: 'application/vnd.oasis.opendocument.text',
    extensions: ['odt'],
    image: false,
    label: 'OpenDocument text',
  },
} as const;

export type AttachmentKind = keyof typeof ATTACHMENT_KINDS;
export const ATTACHMENT_KIND_NAMES = Object.keys(ATTACHMENT_KINDS) as AttachmentKind[];

/** What a workspace accepts until an administrator narrows it: every kind above. */
export const DEFAULT_ALLOWED_KINDS: readonly AttachmentKind[] = ATTACHMENT_KIND_NAMES;

export const ATTACHMENT_LIMITS = {
  /** A cleaned file name's length, in characters. */
  maxNameChars: 120,
  /** Attachments one message carries. */
  maxPerMessage: 10,
  /** Plaintext bytes per sealed chunk (AES-256-GCM, each chunk with its own nonce and tag). */
  chunkBytes: 64 * 1024,
} as const;

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

/** The header an upload names its file in: the name percent-encoded as UTF-8 (encodeURIComponent). */
export const FILE_NAME_HEADER = 'x-file-name';

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
