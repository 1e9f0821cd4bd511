import { type FormEvent, useState } from 'react';
import { SERVICE_LIMITS } from '../../../protocol/service.js';
import { useAction } from '../hooks/use-action.js';
import { useLoad } from '../hooks/use-load.js';
import { serviceApi, serviceSettingsApi } from '../service-api.js';
import { ConfirmButton } from './confirm-button.js';
import { FormError, TextField } from './field.js';

/** The codes an agent picks from when resolving a query (they feed the reports). */
export function ResolutionCodesCard({ workspaceId }: { workspaceId: string }) {
  const list = useLoad(`codes:${workspaceId}`, () => serviceApi.codes(workspaceId).then((r) => r.items));
  const [code, setCode] = useState('');
  const [label, setLabel] = useState('');
  const action = useAction();

  const add = async (e: FormEvent) => {
    e.preventDefault();
    const ok = await action.run(() =>
      serviceSettingsApi.addCode(workspaceId, { code: code.trim(), label: label.trim() }),
    );
    if (!ok) return;
    setCode('');
    setLabel('');
    list.reload();
  };
  const remove = async (id: string) => {
    if (await action.run(() => serviceSettingsApi.deleteCode(workspaceId, id))) list.reload();
  };

  return (
    <section className="card" aria-labelledby="codes-title" data-testid="resolution-codes-card">
      <h2 className="card-title" id="codes-title">
        Resolution codes
      </h2>
      <p className="muted">
        Agents choose one when they resolve a query. Deleting a code keeps past resolutions.
      </p>
      {list.result.state === 'loading' && <p className="muted">Loading codes…</p>}
      {list.result.state === 'error' && <p role="alert">{list.result.message}</p>}
      {list.result.state === 'ready' &&
        (list.result.data.length === 0 ? (
          <p className="muted">No resolution codes yet: agents cannot resolve queries until you add one.</p>
        ) : (
          <ul className="service-list">
            {list.result.data.map((c) => (
              <li key={c.id} className="service-list-item" data-testid="resolution-code-item">
                <code>{c.code}</code>
                <span>{c.label}</span>
                <ConfirmButton
                  label="Delete"
                  question="Delete this code?"
                  detail={c.code}
                  confirmLabel="Delete"
                  busy={action.busy}
                  onConfirm={() => void remove(c.id)}
                  testId="code-delete"
                />
              </li>
            ))}
          </ul>
        ))}
      <form className="service-inline-form" onSubmit={add} aria-label="Add a resolution code">
        <TextField
          label="Code"
          hint="Lowercase letters, digits, - and _"
          required
          pattern="[a-z0-9][a-z0-9_\-]*"
          maxLength={SERVICE_LIMITS.maxCodeChars}
          value={code}
          onChange={(e) => setCode(e.target.value)}
          data-testid="code-code"
        />
        <TextField
          label="Label"
          required
          maxLength={SERVICE_LIMITS.maxNameChars}
          value={label}
          onChange={(e) => setLabel(e.target.value)}
          data-testid="code-label"
        />
        <button type="submit" className="button button-primary" disabled={action.busy} data-testid="code-add">
          Add code
        </button>
      </form>
      <FormError message={action.error?.message ?? null} details={action.error?.details} />
    </section>
  );
}
