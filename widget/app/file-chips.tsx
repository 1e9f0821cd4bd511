/** @jsxImportSource preact */
import type { Draft } from '../../protocol/attachment-drafts.js';
import { fileSize } from '../../protocol/file-size.js';
import { useTexts } from './i18n/context.js';
import type { Texts } from './i18n/index.js';

/** A refusal is said in the visitor's language from its code (English keeps the server's words). */
function statusText(d: Draft, { t, error }: Texts): string {
  if (d.status === 'uploading') return t('uploading');
  if (d.status === 'ready') return t('readyToSend');
  return t('notAttached', { error: d.code ? error(d.code, d.error) : (d.error ?? t('fileNotSent')) });
}

/**
 * The files chosen for the next message, above the composer: name, size, progress, and what the
 * server said of a refused one, with Retry and Remove. The status line of each is a polite live
 * region, so a screen reader hears "Ready to send" or the refusal, not every percent.
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
  const texts = useTexts();
  const { t } = texts;
  if (!drafts.length) return null;
  return (
    <ul class="pw-chips" aria-label={t('filesToSend')} data-testid="file-chips">
      {drafts.map((d) => (
        <li key={d.id} class={`pw-chip pw-chip-${d.status}`} data-testid="file-chip" data-status={d.status}>
          <div class="pw-chip-head">
            <span class="pw-chip-name" title={d.name}>
              {d.name}
            </span>
            <span class="pw-chip-size">{fileSize(d.size)}</span>
            {d.status === 'failed' && d.retryable && (
              <button
                type="button"
                class="pw-chip-button"
                data-testid="file-retry"
                aria-label={t('retryFile', { name: d.name })}
                onClick={() => onRetry(d.id)}
              >
                {t('retry')}
              </button>
            )}
            <button
              type="button"
              class="pw-chip-button pw-chip-remove"
              data-testid="file-remove"
              aria-label={t('removeFile', { name: d.name })}
              onClick={() => onRemove(d.id)}
            >
              <svg viewBox="0 0 24 24" width="14" height="14" aria-hidden="true" focusable="false">
                <path d="M6 6l12 12M18 6L6 18" />
              </svg>
            </button>
          </div>
          {d.status === 'uploading' && (
            <progress
              class="pw-chip-progress"
              max={100}
              value={Math.round(d.progress * 100)}
              aria-label={t('uploadingFile', { name: d.name })}
            />
          )}
          <div
            class={d.status === 'failed' ? 'pw-chip-status pw-error' : 'pw-chip-status'}
            aria-live="polite"
            data-testid="file-status"
          >
            {statusText(d, texts)}
          </div>
        </li>
      ))}
    </ul>
  );
}
