import { type FormEvent, useState } from 'react';
import type { PasskeyAdded } from '../../../protocol/index.js';
import { errorMessage } from '../api.js';
import { mfaApi } from '../mfa-api.js';
import { FormError, TextField } from './field.js';

/**
 * Why this page cannot hold a passkey, or null when it can. WebAuthn ties a passkey to a host name
 * and needs a secure context: an address such as 127.0.0.1, or plain http:// other than localhost,
 * makes the browser refuse with a bare "invalid domain".
 */
export function passkeyBlocker(
  location: Pick<Location, 'hostname' | 'protocol'>,
  secure: boolean,
): string | null {
  const host = location.hostname.replace(/^\[|\]$/g, '');
  if (/^[\d.]+$/.test(host) || host.includes(':'))
    return `Passkeys need a host name, not an address like ${host}. Open Parley at http://localhost (this machine) or at its https:// name, or set PARLEY_PUBLIC_URL to one.`;
  if (!secure) return 'Passkeys need a secure connection: open Parley over https://.';
  return null;
}

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
  const blocked = passkeyBlocker(window.location, window.isSecureContext);

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

  if (blocked)
    return (
      <div className="notice" role="status" data-testid="passkey-blocked">
        {blocked}
      </div>
    );
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
