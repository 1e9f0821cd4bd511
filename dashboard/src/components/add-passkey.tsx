import { type FormEvent, useState } from 'react';
import type { PasskeyAdded } from '../../../protocol/index.js';
import { errorMessage } from '../api.js';
import { mfaApi } from '../mfa-api.js';
import { FormError, TextField } from './field.js';

/** Names and creates a passkey on this device, a security key, or a phone (via the browser's QR flow). */
export function AddPasskey({
  onAdded,
  submitLabel = 'Add a passkey',
}: {
  onAdded: (result: PasskeyAdded) => void;
  submitLabel?: string;
}) {
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onAdded(await mfaApi.addPasskey(name.trim() || 'Passkey'));
      setName('');
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form" onSubmit={onSubmit}>
      <FormError message={error} />
      <TextField
        label="Passkey name"
        hint="So you can tell your passkeys apart, e.g. “Work laptop” or “Phone”."
        name="passkey-name"
        maxLength={60}
        value={name}
        onChange={(e) => setName(e.target.value)}
        data-testid="passkey-name"
      />
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy} data-testid="passkey-add">
          {busy ? 'Waiting for your passkey…' : submitLabel}
        </button>
      </div>
    </form>
  );
}
