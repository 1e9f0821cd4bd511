// Plain constants for the upload code, which the widget loads only when a visitor attaches a file.
export const ATTACHMENT_LIMITS = {
  /** A cleaned file name's length, in characters. */
  maxNameChars: 120,
  /** Attachments one message carries. */
  maxPerMessage: 10,
  /** Plaintext bytes per sealed chunk (AES-256-GCM, each chunk with its own nonce and tag). */
  chunkBytes: 64 * 1024,
} as const;

/** The header an upload names its file in: the name percent-encoded as UTF-8 (encodeURIComponent). */
export const FILE_NAME_HEADER = 'x-file-name';
