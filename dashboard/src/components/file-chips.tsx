import type { Draft } from '../../../protocol/attachment-drafts.js';
import { fileSize } from '../../../protocol/file-size.js';

function statusText(d: Draft): string {
  if (d.status === 'uploading') return 'Uploading…';
  if (d.status === 'ready') return 'Ready to send';
  return `Not attached: ${d.error ?? 'the file could not be sent.'}`;
}

/**
 * Files waiting for the next reply: name, size, progress, and the server's word on a refused one,
 * with Retry and Remove. Each status line is a polite live region (no percent-by-percent chatter).
 */
export function FileChips({
  drafts,
  onRemove,
  onRetry,
}: {
  drafts: readonly Draft[];
  onRemove: (id: string) => void;
  onRetry: (id: string) => void;
}) {
  if (!drafts.length) return null;
  return (
    <ul className="file-chips" aria-label="Files to send" data-testid="file-chips">
      {drafts.map((d) => (
        <li key={d.id} className={`file-chip is-${d.status}`} data-testid="file-chip" data-status={d.status}>
          <div className="file-chip-head">
            <span className="file-chip-name" title={d.name}>
              {d.name}
            </span>
            <span className="file-chip-size">{fileSize(d.size)}</span>
            {d.status === 'failed' && d.retryable && (
              <button
                type="button"
                className="link-button"
                data-testid="file-retry"
                aria-label={`Retry ${d.name}`}
                onClick={() => onRetry(d.id)}
              >
                Retry
              </button>
            )}
            <button
              type="button"
              className="link-button"
              data-testid="file-remove"
              aria-label={`Remove ${d.name}`}
              onClick={() => onRemove(d.id)}
            >
              Remove
            </button>
          </div>
          {d.status === 'uploading' && (
            <progress
              className="file-chip-progress"
              max={100}
              value={Math.round(d.progress * 100)}
              aria-label={`Uploading ${d.name}`}
            />
          )}
          <div className="file-chip-status" aria-live="polite" data-testid="file-status">
            {statusText(d)}
          </div>
        </li>
      ))}
    </ul>
  );
}
