import { type FormEvent, useState } from 'react';
import type { MfaStatus } from '../../../protocol/index.js';
import { errorMessage } from '../api.js';
import { FormError, TextField } from './field.js';

/**
 * Asks for fresh proof before a sensitive change: a current code from the authenticator app, or a
 * passkey. `onCode` and `onPasskey` perform the change with that proof.
 */
export function StepUpForm({
  status,
  action,
  onCode,
  onPasskey,
  onCancel,
}: {
  status: Pick<MfaStatus, 'totp' | 'passkeys'>;
  action: string;
  onCode: (code: string) => Promise<void>;
  onPasskey: () => Promise<void>;
  onCancel: () => void;
}) {
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void run(() => onCode(code.replace(/\s/g, '')));
  };
  return (
    <form className="form step-up" onSubmit={onSubmit} data-testid="step-up">
      <p>
        <strong>Confirm it is you to {action}.</strong>
      </p>
      <FormError message={error} />
      {status.totp && (
        <TextField
          label="Current code from your authenticator app"
          name="step-up-code"
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9 ]{6,7}"
          maxLength={7}
          required
          value={code}
          onChange={(e) => setCode(e.target.value)}
          data-testid="step-up-code"
        />
      )}
      <div className="form-actions">
        {status.totp && (
          <button
            type="submit"
            className="button button-primary"
            disabled={busy}
            data-testid="step-up-submit"
          >
            Confirm
          </button>
        )}
        {status.passkeys > 0 && (
          <button
            type="button"
            className="button"
            disabled={busy}
            onClick={() => void run(onPasskey)}
            data-testid="step-up-passkey"
          >
            Use a passkey
          </button>
        )}
        <button type="button" className="button button-quiet" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
