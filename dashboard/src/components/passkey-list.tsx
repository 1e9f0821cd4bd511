import { type FormEvent, useState } from 'react';
import type { Passkey } from '../../../protocol/index.js';
import { errorMessage } from '../api.js';
import { mfaApi } from '../mfa-api.js';
import { FormError } from './field.js';
import { RelativeTime } from './relative-time.js';

/** The signed-in user's passkeys: rename in place; removal is handed to the screen (it needs proof). */
export function PasskeyList({
  passkeys,
  onRenamed,
  onRemove,
}: {
  passkeys: Passkey[];
  onRenamed: (p: Passkey) => void;
  onRemove: (p: Passkey) => void;
}) {
  if (passkeys.length === 0) return <p className="muted">No passkeys yet.</p>;
  return (
    <ul className="passkey-list">
      {passkeys.map((p) => (
        <PasskeyRow key={p.id} passkey={p} onRenamed={onRenamed} onRemove={onRemove} />
      ))}
    </ul>
  );
}

function PasskeyRow({
  passkey,
  onRenamed,
  onRemove,
}: {
  passkey: Passkey;
  onRenamed: (p: Passkey) => void;
  onRemove: (p: Passkey) => void;
}) {
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(passkey.name);
  const [error, setError] = useState<string | null>(null);
  const save = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      onRenamed(await mfaApi.renamePasskey(passkey.id, name.trim()));
      setEditing(false);
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <li className="passkey-row" data-testid="passkey-row">
      {editing ? (
        <form className="passkey-rename" onSubmit={save}>
          <FormError message={error} />
          <label className="visually-hidden" htmlFor={`name-${passkey.id}`}>
            Passkey name
          </label>
          <input
            id={`name-${passkey.id}`}
            className="input"
            maxLength={60}
            required
            value={name}
            onChange={(e) => setName(e.target.value)}
            data-testid="passkey-rename-input"
          />
          <button
            type="submit"
            className="button button-small button-primary"
            data-testid="passkey-rename-save"
          >
            Save
          </button>
          <button
            type="button"
            className="button button-small button-quiet"
            onClick={() => setEditing(false)}
          >
            Cancel
          </button>
        </form>
      ) : (
        <>
          <div className="passkey-main">
            <span className="passkey-name" data-testid="passkey-row-name">
              {passkey.name}
            </span>
            <span className="muted">
              Added <RelativeTime iso={passkey.createdAt} ago />
              {passkey.lastUsedAt ? (
                <>
                  {' '}
                  · last used <RelativeTime iso={passkey.lastUsedAt} ago />
                </>
              ) : (
                ' · never used'
              )}
              {passkey.synced && ' · synced'}
            </span>
          </div>
          <div className="form-actions">
            <button type="button" className="button button-small" onClick={() => setEditing(true)}>
              Rename
            </button>
            <button
              type="button"
              className="button button-small"
              onClick={() => onRemove(passkey)}
              data-testid="passkey-remove"
            >
              Remove
            </button>
          </div>
        </>
      )}
    </li>
  );
}
