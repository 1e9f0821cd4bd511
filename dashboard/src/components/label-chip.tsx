import type { Label } from '../../../protocol/labels.js';

/** A label as a small coloured tag: the colour is a dot, the name stays readable on any colour. */
export function LabelChip({ label, onRemove }: { label: Label; onRemove?: () => void }) {
  return (
    <span className="label-chip" data-testid="label-chip" data-label-id={label.id}>
      <span className="label-dot" style={{ background: label.colour }} aria-hidden="true" />
      <span className="label-name">{label.name}</span>
      {onRemove && (
        <button
          type="button"
          className="label-remove"
          onClick={onRemove}
          aria-label={`Remove the label ${label.name}`}
          data-testid="label-remove"
        >
          ×
        </button>
      )}
    </span>
  );
}

export function LabelChips({ labels, ids }: { labels: Label[]; ids: string[] | undefined }) {
  const shown = (ids ?? []).map((id) => labels.find((l) => l.id === id)).filter((l): l is Label => !!l);
  if (shown.length === 0) return null;
  return (
    <span className="label-chips">
      {shown.map((l) => (
        <LabelChip key={l.id} label={l} />
      ))}
    </span>
  );
}
