import { type FormEvent, useState } from 'react';
import { LIMITS } from '../../../protocol/limits.js';
import { errorMessage } from '../api.js';
import { AuthLayout } from '../components/auth-layout.js';
import { FormError, TextField } from '../components/field.js';
import { useTitle } from '../hooks/use-title.js';
import { Link } from '../lib/router.js';
import { teamApi } from '../team-api.js';

/**
 * Asking for a reset link. The answer is the same whether or not the address has an account, so
 * the page shows the server's neutral message and nothing else.
 */
export function ForgotPasswordScreen() {
  useTitle('Reset your password');
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const answer = await teamApi.requestPasswordReset(email.trim());
      setSent(answer.message);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  if (sent) {
    return (
      <AuthLayout title="Check your email">
        <div className="notice" role="status" data-testid="forgot-sent">
          {sent}
        </div>
        <Link href="/login" className="button button-block">
          Back to sign in
        </Link>
      </AuthLayout>
    );
  }
  return (
    <AuthLayout
      title="Reset your password"
      intro="Enter the email address of your account and we will send you a link to choose a new password."
    >
      <form className="form" onSubmit={onSubmit}>
        <FormError message={error} />
        <TextField
          label="Email"
          type="email"
          autoComplete="username"
          required
          autoFocus
          maxLength={LIMITS.maxEmailChars}
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          data-testid="forgot-email"
        />
        <button
          type="submit"
          className="button button-primary button-block"
          disabled={busy}
          data-testid="forgot-submit"
        >
          {busy ? 'Sending…' : 'Send reset link'}
        </button>
        <Link href="/login" className="auth-secondary-link">
          Back to sign in
        </Link>
      </form>
    </AuthLayout>
  );
}
