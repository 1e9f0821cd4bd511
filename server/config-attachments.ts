/**
 * Settings for attachments. They are part of SETTINGS in config.ts (and so of the README table); this
 * file only parses them from the values config.ts hands over.
 */
export const ATTACHMENT_SETTINGS = {
  PARLEY_ATTACHMENT_MAX_MB: {
    default: '10',
    doc: 'Largest file one upload may be, in MiB (1–100).',
  },
  PARLEY_ATTACHMENT_CONVERSATION_MB: {
    default: '100',
    doc: 'Files one conversation may hold in all, in MiB (1–10000); more are refused until some are deleted.',
  },
  PARLEY_ATTACHMENT_WORKSPACE_GB: {
    default: '10',
    doc: 'Storage for files per workspace, in GiB (1–10000): the quota. Sizing the store: docs/OPERATIONS.md.',
  },
  PARLEY_ATTACHMENT_MAX_MEGAPIXELS: {
    default: '40',
    doc: 'Largest image Parley decodes to re-encode it, in megapixels (1–268); larger images (and decompression bombs) are refused before they are decoded.',
  },
} as const;

export interface AttachmentConfig {
  readonly maxFileBytes: number;
  readonly maxConversationBytes: number;
  readonly workspaceQuotaBytes: number;
  readonly maxImagePixels: number;
}

const MIB = 1024 * 1024;

export function readAttachments(o: {
  int: (key: keyof typeof ATTACHMENT_SETTINGS, min: number, max: number) => number;
}): AttachmentConfig {
  return {
    maxFileBytes: o.int('PARLEY_ATTACHMENT_MAX_MB', 1, 100) * MIB,
    maxConversationBytes: o.int('PARLEY_ATTACHMENT_CONVERSATION_MB', 1, 10_000) * MIB,
    workspaceQuotaBytes: o.int('PARLEY_ATTACHMENT_WORKSPACE_GB', 1, 10_000) * 1024 * MIB,
    maxImagePixels: o.int('PARLEY_ATTACHMENT_MAX_MEGAPIXELS', 1, 268) * 1_000_000,
  };
}
