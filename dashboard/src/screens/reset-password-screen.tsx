import { type FormEvent, useState } from 'react';
import { ApiError, errorMessage } from '../api.js';
import { AuthLayout } from '../components/auth-layout.js';
import { FormError, focusFirstInvalid } from '../components/field.js';
import { NewPasswordFields, newPasswordProblem } from '../components/new-password-fields.js';
import { useTitle } from '../hooks/use-title.js';
import { useLinkToken } from '../lib/link-token.js';
import { Link } from '../lib/router.js';
import { teamApi } from '../team-api.js';

/** Choosing a new password from a reset link. Every session of the account ends on success. */
export function ResetPasswordScreen() {
  useTitle('Choose a new password');
  const token = useLinkToken();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [error, setError] = useState<{ message: string; details: string[]; expired: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  if (done) {
    return (
      <AuthLayout title="Your password is changed">
        <div className="notice notice-success" role="status" data-testid="reset-done">
          Sign in with your new password. You were signed out on every device.
        </div>
        <Link href="/login" className="button button-primary button-block" data-testid="reset-sign-in">
          Go to sign in
        </Link>
      </AuthLayout>
    );
  }
  if (!token) {
    return (
      <AuthLayout title="Choose a new password">
        <p>
          This page needs the reset link from your email. It looks like{' '}
          <code>https://your-host/reset-password#token=…</code>.
        </p>
        <Link href="/forgot-password" className="button button-block">
          Request a new link
        </Link>
      </AuthLayout>
    );
  }

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (newPasswordProblem(password, confirm)) {
      focusFirstInvalid(event.currentTarget);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await teamApi.completePasswordReset(token, password);
      setDone(true);
    } catch (e) {
      setError({
        message: errorMessage(e),
        details: e instanceof ApiError ? e.details : [],
        expired: e instanceof ApiError && e.code === 'reset_token_invalid',
      });
      setBusy(false);
    }
  };

  return (
    <AuthLayout title="Choose a new password">
      <form className="form" onSubmit={onSubmit} noValidate>
        <FormError message={error?.message ?? null} details={error?.details} />
        {error?.expired && (
          <Link href="/forgot-password" className="auth-secondary-link">
            Request a new link
          </Link>
        )}
        <NewPasswordFields
          password={password}
          confirm={confirm}
          onPassword={setPassword}
          onConfirm={setConfirm}
          submitted={submitted}
          testId="reset"
          autoFocus
        />
        <button
          type="submit"
          className="button button-primary button-block"
          disabled={busy}
          data-testid="reset-submit"
        >
          {busy ? 'Saving…' : 'Save new password'}
        </button>
      </form>
    </AuthLayout>
  );
}
