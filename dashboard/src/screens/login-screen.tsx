import { type FormEvent, useEffect, useState } from 'react';
import type { Me } from '../../../protocol/api.js';
import { api, errorMessage } from '../api.js';
import { AuthLayout } from '../components/auth-layout.js';
import { CompanySignIn, ssoErrorMessage } from '../components/company-sign-in.js';
import { FormError, TextField } from '../components/field.js';
import { useTitle } from '../hooks/use-title.js';
import { clearLoginNotice, loginNotice } from '../lib/auth-redirect.js';
import { Link, safeReturnPath, useSearch } from '../lib/router.js';

import { routeForStage } from '../lib/sign-in-stage.js';
import { mfaApi } from '../mfa-api.js';

export function LoginScreen() {
  useTitle('Sign in');
  const search = useSearch();
  const next = safeReturnPath(search.get('next')) ?? '/inbox';
  const ssoError = ssoErrorMessage(search.get('sso_error'));
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
      (me) => !cancelled && routeForStage(me.stage, next),
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

  const signIn = async (work: () => Promise<Me>) => {
    setBusy(true);
    setError(null);
    try {
      const me = await work();
      clearLoginNotice();
      // The password may be only the first step: on to the second factor or MFA setup.
      routeForStage(me.stage, next);
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void signIn(() => api.login({ email: email.trim(), password }));
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
      {ssoError && !error && (
        <div className="inline-error" role="alert" data-testid="sso-error">
          {ssoError}
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
        <CompanySignIn email={email} />
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
      <div className="or-divider" aria-hidden="true">
        or
      </div>
      <button
        type="button"
        className="button button-block"
        disabled={busy}
        onClick={() => void signIn(() => mfaApi.signInWithPasskey())}
        data-testid="login-passkey"
      >
        Sign in with a passkey
      </button>
    </AuthLayout>
  );
}
