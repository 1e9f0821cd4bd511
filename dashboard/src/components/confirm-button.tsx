import { useState } from 'react';

/**
 * A destructive action in two steps: the first click asks, the second does it. Inline rather than
 * window.confirm, so the question is part of the page (styled, announced, testable).
 */
export function ConfirmButton({
  label,
  question,
  detail,
  confirmLabel,
  busy,
  onConfirm,
  testId,
}: {
  label: string;
  /** Short, shown next to the buttons; `detail` (for screen readers and the tooltip) names the subject. */
  question: string;
  detail?: string;
  confirmLabel: string;
  busy: boolean;
  onConfirm: () => void;
  testId: string;
}) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button
        type="button"
        className="button button-small button-danger-quiet"
        disabled={busy}
        onClick={() => setAsking(true)}
        data-testid={testId}
      >
        {label}
      </button>
    );
  }
  return (
    <span className="confirm">
      <span className="confirm-question" title={detail}>
        {question}
        {detail && <span className="visually-hidden"> {detail}</span>}
      </span>
      <button
        type="button"
        className="button button-small button-danger"
        disabled={busy}
        onClick={onConfirm}
        // biome-ignore lint/a11y/noAutofocus: the question just appeared under the pointer; focus follows it
        autoFocus
        data-testid={`${testId}-confirm`}
      >
        {confirmLabel}
      </button>
      <button type="button" className="button button-small" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}
