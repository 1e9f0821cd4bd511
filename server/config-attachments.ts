import { type ClamdAddress, parseClamdAddress } from './platform/malware/clamd-scanner.js';

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
  PARLEY_CLAMD: {
    default: '(unset: no scanning)',
    doc: 'clamd to scan every uploaded file with before it is stored: `unix:/run/clamav/clamd.ctl` or `tcp://127.0.0.1:3310`. An infected file is refused (`attachment_infected`); while clamd is down or slow, uploads are refused (`attachment_scan_unavailable`, retry later). Set clamd’s StreamMaxLength to at least PARLEY_ATTACHMENT_MAX_MB. See docs/OPERATIONS.md.',
  },
  PARLEY_CLAMD_TIMEOUT_SECONDS: {
    default: '15',
    doc: 'How long one scan may take, connecting included (1–25: within the 30 s an upload request may take); a scan that takes longer refuses the upload as clamd being unavailable.',
  },
} as const;

export interface AttachmentConfig {
  readonly maxFileBytes: number;
  readonly maxConversationBytes: number;
  readonly workspaceQuotaBytes: number;
  readonly maxImagePixels: number;
  /** Where clamd listens, and how long a scan may take; null: files are not scanned. */
  readonly clamd: { readonly address: ClamdAddress; readonly timeoutMs: number } | null;
}

const MIB = 1024 * 1024;

export function readAttachments(o: {
  get: (key: keyof typeof ATTACHMENT_SETTINGS) => string | undefined;
  int: (key: keyof typeof ATTACHMENT_SETTINGS, min: number, max: number) => number;
  problems: string[];
}): AttachmentConfig {
  const raw = o.get('PARLEY_CLAMD')?.trim() || null;
  const address = raw === null ? null : parseClamdAddress(raw);
  if (raw !== null && address === null)
    o.problems.push(
      'PARLEY_CLAMD must be unix:/absolute/path/to/clamd.socket or tcp://host:port (e.g. tcp://127.0.0.1:3310).',
    );
  const timeoutMs = o.int('PARLEY_CLAMD_TIMEOUT_SECONDS', 1, 25) * 1000;
  return {
    clamd: address ? { address, timeoutMs } : null,
    maxFileBytes: o.int('PARLEY_ATTACHMENT_MAX_MB', 1, 100) * MIB,
    maxConversationBytes: o.int('PARLEY_ATTACHMENT_CONVERSATION_MB', 1, 10_000) * MIB,
    workspaceQuotaBytes: o.int('PARLEY_ATTACHMENT_WORKSPACE_GB', 1, 10_000) * 1024 * MIB,
    maxImagePixels: o.int('PARLEY_ATTACHMENT_MAX_MEGAPIXELS', 1, 268) * 1_000_000,
  };
}
