import { type FormEvent, useState } from 'react';
import { LIMITS } from '../../../protocol/limits.js';
import { ApiError, errorMessage } from '../api.js';
import { AuthLayout } from '../components/auth-layout.js';
import { FormError, focusFirstInvalid, TextField } from '../components/field.js';
import { NewPasswordFields, newPasswordProblem } from '../components/new-password-fields.js';
import { useTitle } from '../hooks/use-title.js';
import { useLinkToken } from '../lib/link-token.js';
import { Link, navigate } from '../lib/router.js';
import { teamApi } from '../team-api.js';

/** Accepting an invitation: the colleague picks a name and a password and is signed in. */
export function InviteScreen() {
  useTitle('Join your team');
  const token = useLinkToken();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [error, setError] = useState<{ message: string; details: string[] } | null>(null);
  const [busy, setBusy] = useState(false);

  if (!token) {
    return (
      <AuthLayout title="Join your team on Parley">
        <p>
          This page needs the invitation link from your email. It looks like{' '}
          <code>https://your-host/invite#token=…</code>. Open that exact link in this browser.
        </p>
        <Link href="/login" className="button button-block">
          Go to sign in
        </Link>
      </AuthLayout>
    );
  }

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (!name.trim() || newPasswordProblem(password, confirm)) {
      focusFirstInvalid(event.currentTarget);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await teamApi.acceptInvite({ token, name: name.trim(), password });
      navigate('/inbox', { replace: true });
    } catch (e) {
      setError({ message: errorMessage(e), details: e instanceof ApiError ? e.details : [] });
      setBusy(false);
    }
  };

  return (
    <AuthLayout
      title="Join your team on Parley"
      intro="Choose the name your colleagues will see and a password for your account."
    >
      <form className="form" onSubmit={onSubmit} noValidate>
        <FormError message={error?.message ?? null} details={error?.details} />
        <TextField
          label="Your name"
          autoComplete="name"
          required
          autoFocus
          maxLength={LIMITS.maxNameChars}
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={submitted && !name.trim() ? 'Enter your name.' : null}
          data-testid="invite-name"
        />
        <NewPasswordFields
          label="Password"
          password={password}
          confirm={confirm}
          onPassword={setPassword}
          onConfirm={setConfirm}
          submitted={submitted}
          testId="invite"
        />
        <button
          type="submit"
          className="button button-primary button-block"
          disabled={busy}
          data-testid="invite-submit"
        >
          {busy ? 'Joining…' : 'Join workspace'}
        </button>
      </form>
    </AuthLayout>
  );
}
