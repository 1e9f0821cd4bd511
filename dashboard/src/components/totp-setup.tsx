import { type FormEvent, useEffect, useState } from 'react';
import type { Me, TotpEnrollment } from '../../../protocol/index.js';
import { errorMessage } from '../api.js';
import { mfaApi } from '../mfa-api.js';
import { FormError, TextField } from './field.js';
import { QrCode } from './qr-code.js';

/**
 * Authenticator-app setup: a QR code (and the key, for typing in), then a first code to prove the
 * app has it. The secret is only ever in this component's memory; the server never shows it again.
 */
export function TotpSetup({
  onConfirmed,
  onCancel,
}: {
  onConfirmed: (result: { recoveryCodes: string[]; me: Me }) => void;
  onCancel?: () => void;
}) {
  const [enrollment, setEnrollment] = useState<TotpEnrollment | null>(null);
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let cancelled = false;
    mfaApi.startTotp().then(
      (e) => !cancelled && setEnrollment(e),
      (e: unknown) => !cancelled && setError(errorMessage(e)),
    );
    return () => {
      cancelled = true;
    };
  }, []);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onConfirmed(await mfaApi.confirmTotp(code.replace(/\s/g, '')));
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };

  if (!enrollment) {
    return error ? <FormError message={error} /> : <p className="muted">Preparing your setup…</p>;
  }
  return (
    <form className="form totp-setup" onSubmit={onSubmit}>
      <ol className="steps">
        <li>
          Scan this code with an authenticator app (for example 1Password, Google Authenticator or Microsoft
          Authenticator).
          <div className="qr-frame">
            <QrCode value={enrollment.otpauthUri} label="QR code for your authenticator app" />
          </div>
          <details className="secret-details">
            <summary>Can’t scan it? Enter this key instead</summary>
            <code className="mono secret-key" data-testid="totp-secret">
              {enrollment.secret.match(/.{1,4}/g)?.join(' ')}
            </code>
          </details>
        </li>
        <li>Enter the six-digit code the app shows.</li>
      </ol>
      <FormError message={error} />
      <TextField
        label="Code from the app"
        name="code"
        inputMode="numeric"
        autoComplete="one-time-code"
        pattern="[0-9 ]{6,7}"
        maxLength={7}
        required
        value={code}
        onChange={(e) => setCode(e.target.value)}
        data-testid="totp-code"
      />
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy} data-testid="totp-confirm">
          {busy ? 'Checking…' : 'Turn on'}
        </button>
        {onCancel && (
          <button type="button" className="button button-quiet" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
