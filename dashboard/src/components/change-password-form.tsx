import { type FormEvent, useState } from 'react';
import { LIMITS } from '../../../protocol/limits.js';
import { ApiError, errorMessage } from '../api.js';
import { teamApi } from '../team-api.js';
import { FormError, focusFirstInvalid, TextField } from './field.js';
import { NewPasswordFields, newPasswordProblem } from './new-password-fields.js';

/** Changing one's password needs the current one; the server then ends every other session. */
export function ChangePasswordForm({ onChanged }: { onChanged: () => void }) {
  const [current, setCurrent] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [error, setError] = useState<{ message: string; details: string[] } | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    setDone(false);
    if (!current || newPasswordProblem(password, confirm)) {
      focusFirstInvalid(event.currentTarget);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await teamApi.changePassword({ currentPassword: current, newPassword: password });
      setCurrent('');
      setPassword('');
      setConfirm('');
      setSubmitted(false);
      setDone(true);
      onChanged();
    } catch (e) {
      setError({ message: errorMessage(e), details: e instanceof ApiError ? e.details : [] });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="password-title">
      <h2 className="card-title" id="password-title">
        Change password
      </h2>
      <form className="form form-wide" onSubmit={onSubmit} noValidate>
        <FormError message={error?.message ?? null} details={error?.details} />
        {done && (
          <div className="notice notice-success" role="status" data-testid="password-changed">
            Your password is changed. Your other sessions were signed out.
          </div>
        )}
        <TextField
          label="Current password"
          type="password"
          autoComplete="current-password"
          required
          maxLength={LIMITS.maxPasswordChars}
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
          error={submitted && !current ? 'Enter your current password.' : null}
          data-testid="password-current"
        />
        <NewPasswordFields
          password={password}
          confirm={confirm}
          onPassword={setPassword}
          onConfirm={setConfirm}
          submitted={submitted}
          testId="password-new"
        />
        <div className="form-actions">
          <button
            type="submit"
            className="button button-primary"
            disabled={busy}
            data-testid="password-submit"
          >
            {busy ? 'Saving…' : 'Change password'}
          </button>
        </div>
      </form>
    </section>
  );
}
