import { type FormEvent, useEffect, useState } from 'react';
import { api, errorMessage } from '../api.js';
import { AuthLayout } from '../components/auth-layout.js';
import { FormError, TextField } from '../components/field.js';
import { useTitle } from '../hooks/use-title.js';
import { clearLoginNotice, loginNotice } from '../lib/auth-redirect.js';
import { Link, navigate, safeReturnPath, useSearch } from '../lib/router.js';

export function LoginScreen() {
  useTitle('Sign in');
  const next = safeReturnPath(useSearch().get('next')) ?? '/inbox';
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [needsSetup, setNeedsSetup] = useState(false);
  const notice = loginNotice();

  useEffect(() => {
    let cancelled = false;
    // Already signed in (another tab, back button): go straight on.
    api.peekMe().then(
      () => !cancelled && navigate(next, { replace: true }),
      () => {},
    );
    api.getSetup().then(
      (r) => !cancelled && setNeedsSetup(r.needsSetup),
      () => {},
    );
    return () => {
      cancelled = true;
    };
  }, [next]);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.login({ email: email.trim(), password });
      clearLoginNotice();
      navigate(next, { replace: true });
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };

  return (
    <AuthLayout title="Sign in to your workspace">
      {notice && !error && (
        <div className="notice" role="status">
          {notice}
        </div>
      )}
      {needsSetup && (
        <div className="notice" role="status">
          Parley is not set up yet. Open the setup link that the server printed when it started.
        </div>
      )}
      <form className="form" onSubmit={onSubmit}>
        <FormError message={error} />
        <TextField
          label="Email"
          type="email"
          name="email"
          autoComplete="username"
          required
          autoFocus
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          data-testid="login-email"
        />
        <TextField
          label="Password"
          type="password"
          name="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          data-testid="login-password"
        />
        <button
          type="submit"
          className="button button-primary button-block"
          disabled={busy}
          data-testid="login-submit"
        >
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <Link href="/forgot-password" className="auth-secondary-link" data-testid="login-forgot">
          Forgot password?
        </Link>
      </form>
    </AuthLayout>
  );
}
