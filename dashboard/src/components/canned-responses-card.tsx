import { useState } from 'react';
import type { CannedResponse } from '../../../protocol/service.js';
import { useAction } from '../hooks/use-action.js';
import { useLoad } from '../hooks/use-load.js';
import { serviceApi, serviceSettingsApi } from '../service-api.js';
import { CannedResponseForm } from './canned-response-form.js';
import { ConfirmButton } from './confirm-button.js';
import { FormError } from './field.js';

type Editing = { response: CannedResponse | null } | null;

/** Ready-made replies agents insert with "/shortcut" in the reply box. */
export function CannedResponsesCard({ workspaceId }: { workspaceId: string }) {
  const list = useLoad(`canned:${workspaceId}`, () => serviceApi.canned(workspaceId).then((r) => r.items));
  const [editing, setEditing] = useState<Editing>(null);
  const action = useAction();

  const remove = async (id: string) => {
    if (await action.run(() => serviceSettingsApi.deleteCanned(workspaceId, id))) list.reload();
  };
  const save = async (
    current: CannedResponse | null,
    body: Parameters<typeof serviceSettingsApi.addCanned>[1],
  ) => {
    if (current) await serviceSettingsApi.updateCanned(workspaceId, current.id, body);
    else await serviceSettingsApi.addCanned(workspaceId, body);
    setEditing(null);
    list.reload();
  };

  return (
    <section className="card" aria-labelledby="canned-title" data-testid="canned-card">
      <div className="card-header">
        <h2 className="card-title" id="canned-title">
          Canned responses
        </h2>
        {!editing && (
          <button
            type="button"
            className="button button-small"
            onClick={() => setEditing({ response: null })}
            data-testid="canned-new"
          >
            New response
          </button>
        )}
      </div>
      {editing && (
        <CannedResponseForm
          key={editing.response?.id ?? 'new'}
          response={editing.response}
          onCancel={() => setEditing(null)}
          onSave={(body) => save(editing.response, body)}
        />
      )}
      {list.result.state === 'loading' && <p className="muted">Loading responses…</p>}
      {list.result.state === 'error' && <p role="alert">{list.result.message}</p>}
      {list.result.state === 'ready' && list.result.data.length === 0 && (
        <p className="muted">No canned responses yet.</p>
      )}
      {list.result.state === 'ready' && list.result.data.length > 0 && (
        <ul className="service-list">
          {list.result.data.map((c) => (
            <li key={c.id} className="service-list-item canned-item" data-testid="canned-item">
              <div>
                <code>/{c.shortcut}</code> <strong>{c.title}</strong>
                <p className="canned-body">{c.body}</p>
              </div>
              <div className="row-actions">
                <button
                  type="button"
                  className="button button-small"
                  onClick={() => setEditing({ response: c })}
                  data-testid="canned-edit"
                >
                  Edit
                </button>
                <ConfirmButton
                  label="Delete"
                  question="Delete this response?"
                  detail={`/${c.shortcut}`}
                  confirmLabel="Delete"
                  busy={action.busy}
                  onConfirm={() => void remove(c.id)}
                  testId="canned-delete"
                />
              </div>
            </li>
          ))}
        </ul>
      )}
      <FormError message={action.error?.message ?? null} details={action.error?.details} />
    </section>
  );
}
