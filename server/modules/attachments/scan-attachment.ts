import type { AttachmentKind } from '../../../protocol/attachments.js';
import { AppError } from '../../errors.js';
import type { Db } from '../../platform/db/schema.js';
import type { MalwareScanner } from '../../platform/malware/clamd-scanner.js';
import { emit } from '../../platform/metrics/signals.js';
import { type AuditActor, recordAuditEvent, type SecurityLogger } from '../audit/record-audit-event.js';

/** clamd back from a restart (it loads its signatures) answers within seconds; clients retry after this. */
const RETRY_AFTER_SECONDS = 10;

export interface ScanLogger extends SecurityLogger {
  warn(obj: object, msg: string): void;
}

/**
 * Passes a file through clamd before it is stored, and refuses it unless clamd says it is clean.
 * Fails closed: a clamd that is down, slow or confused refuses the upload as retryable
 * (`attachment_scan_unavailable`), never lets it through unscanned. An infected file is refused
 * (`attachment_infected`) and audited with the signature clamd named; its content goes nowhere.
 */
export async function scanAttachment(
  deps: { db: Db; scanner: MalwareScanner; log?: ScanLogger },
  input: {
    workspaceId: string;
    conversationId: string;
    uploader: { kind: 'visitor' | 'agent' | 'api'; id: string };
    kind: AttachmentKind;
    content: Buffer;
    ip?: string | null;
  },
): Promise<void> {
  const started = performance.now();
  const result = await deps.scanner.scan(input.content);
  emit('attachment.scanned', { verdict: result.verdict, seconds: (performance.now() - started) / 1000 });
  switch (result.verdict) {
    case 'clean':
      return;
    case 'too_large':
      throw new AppError('attachment_too_large', {
        message: 'This file is larger than the malware scanner accepts. Send a smaller file.',
      });
    case 'unavailable':
      deps.log?.warn(
        { scanner: deps.scanner.address, reason: result.reason },
        'malware scanner unavailable: upload refused',
      );
      throw new AppError('attachment_scan_unavailable', { retryAfterSeconds: RETRY_AFTER_SECONDS });
    case 'infected':
      await recordAuditEvent(
        deps.db,
        {
          workspaceId: input.workspaceId,
          actor: actorOf(input.uploader),
          action: 'attachments.infected_refused',
          target: { type: 'conversation', id: input.conversationId },
          ip: input.ip ?? null,
          details: { signature: result.signature, kind: input.kind, size: input.content.length },
        },
        deps.log,
      );
      throw new AppError('attachment_infected');
  }
}

function actorOf(uploader: { kind: 'visitor' | 'agent' | 'api'; id: string }): AuditActor {
  if (uploader.kind === 'visitor') return { type: 'visitor', id: uploader.id };
  if (uploader.kind === 'api') return { type: 'api_token', id: uploader.id };
  return { type: 'user', id: uploader.id };
}
