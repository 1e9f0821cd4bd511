import { type FormEvent, useState } from 'react';
import { LABEL_LIMITS, type Label } from '../../../protocol/labels.js';
import { useAction } from '../hooks/use-action.js';
import { labelsChanged, useLabels } from '../hooks/use-labels.js';
import { labelsApi } from '../labels-api.js';
import { ConfirmButton } from './confirm-button.js';
import { FormError, TextField } from './field.js';
import { LabelChip } from './label-chip.js';

const DEFAULT_COLOUR = '#2563eb';

/** The workspace's labels (administrators): agents put them on conversations; the inbox filters by them. */
export function LabelsCard({ workspaceId }: { workspaceId: string }) {
  const labels = useLabels();
  const [name, setName] = useState('');
  const [colour, setColour] = useState(DEFAULT_COLOUR);
  const [editing, setEditing] = useState<Label | null>(null);
  const action = useAction();

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const body = { name: name.trim(), colour };
    const ok = await action.run(() =>
      editing ? labelsApi.update(workspaceId, editing.id, body) : labelsApi.create(workspaceId, body),
    );
    if (!ok) return;
    setName('');
    setColour(DEFAULT_COLOUR);
    setEditing(null);
    labelsChanged();
  };
  const remove = async (id: string) => {
    if (await action.run(() => labelsApi.remove(workspaceId, id))) labelsChanged();
  };

  return (
    <section className="card" aria-labelledby="labels-title" data-testid="labels-card">
      <h2 className="card-title" id="labels-title">
        Labels
      </h2>
      <p className="muted">
        Agents put labels on conversations; the inbox filters by them and the report groups by them. Up to{' '}
        {LABEL_LIMITS.maxLabelsPerWorkspace}. Deleting a label takes it off every conversation.
      </p>
      {labels.length === 0 ? (
        <p className="muted">No labels yet.</p>
      ) : (
        <ul className="service-list">
          {labels.map((l) => (
            <li key={l.id} className="service-list-item" data-testid="label-item">
              <LabelChip label={l} />
              <span className="label-actions">
                <button
                  type="button"
                  className="button button-small button-quiet"
                  onClick={() => {
                    setEditing(l);
                    setName(l.name);
                    setColour(l.colour);
                  }}
                  aria-label={`Edit the label ${l.name}`}
                >
                  Edit
                </button>
                <ConfirmButton
                  label="Delete"
                  question="Delete this label?"
                  detail={l.name}
                  confirmLabel="Delete"
                  busy={action.busy}
                  onConfirm={() => void remove(l.id)}
                  testId="label-delete"
                />
              </span>
            </li>
          ))}
        </ul>
      )}
      <form
        className="service-inline-form"
        onSubmit={save}
        aria-label={editing ? `Edit the label ${editing.name}` : 'Add a label'}
      >
        <TextField
          label="Name"
          required
          maxLength={LABEL_LIMITS.maxLabelNameChars}
          value={name}
          onChange={(e) => setName(e.target.value)}
          data-testid="label-name"
        />
        <TextField
          label="Colour"
          type="color"
          className="input input-colour"
          value={colour}
          onChange={(e) => setColour(e.target.value)}
          data-testid="label-colour"
        />
        <button
          type="submit"
          className="button button-primary"
          disabled={action.busy}
          data-testid="label-save"
        >
          {editing ? 'Save label' : 'Add label'}
        </button>
        {editing && (
          <button
            type="button"
            className="button"
            onClick={() => {
              setEditing(null);
              setName('');
              setColour(DEFAULT_COLOUR);
            }}
          >
            Cancel
          </button>
        )}
      </form>
      <FormError message={action.error?.message ?? null} details={action.error?.details} />
    </section>
  );
}
