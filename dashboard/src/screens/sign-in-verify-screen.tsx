import { type FormEvent, useEffect, useState } from 'react';
import type { MfaStatus } from '../../../protocol/index.js';
import { api, errorMessage } from '../api.js';
import { AuthLayout } from '../components/auth-layout.js';
import { FormError, TextField } from '../components/field.js';
import { useTitle } from '../hooks/use-title.js';
import { clearLoginNotice } from '../lib/auth-redirect.js';
import { navigate, useSearch } from '../lib/router.js';
import { routeForStage } from '../lib/sign-in-stage.js';
import { mfaApi } from '../mfa-api.js';

/** After the password: the second factor (authenticator code, recovery code or passkey). */
export function SignInVerifyScreen() {
  useTitle('Confirm it is you');
  const next = useSearch().get('next');
  const [status, setStatus] = useState<MfaStatus | null>(null);
  const [recovery, setRecovery] = useState(false);
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let cancelled = false;
    api.me().then(
      (me) => {
        if (cancelled) return;
        if (me.stage !== 'mfa') routeForStage(me.stage, next);
        else
          mfaApi.status().then(
            (s) => !cancelled && setStatus(s),
            (e) => setError(errorMessage(e)),
          );
      },
      () => {},
    );
    return () => {
      cancelled = true;
    };
  }, [next]);

  const finish = async (work: () => Promise<{ stage: 'full' | 'mfa' | 'enroll' }>) => {
    setBusy(true);
    setError(null);
    try {
      const me = await work();
      clearLoginNotice();
      routeForStage(me.stage, next);
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void finish(() => mfaApi.verifyCode(code));
  };
  const signOut = async () => {
    await api.logout().catch(() => {});
    navigate('/login', { replace: true });
  };

  return (
    <AuthLayout
      title="Confirm it is you"
      intro="Your password was right. Finish signing in with your second factor."
    >
      {!status && !error && <p className="muted">Loading…</p>}
      <FormError message={error} />
      {status?.totp && (
        <form className="form" onSubmit={onSubmit}>
          <TextField
            key={recovery ? 'recovery' : 'totp'}
            label={recovery ? 'Recovery code' : 'Code from your authenticator app'}
            name="code"
            autoComplete="one-time-code"
            inputMode={recovery ? 'text' : 'numeric'}
            maxLength={recovery ? 40 : 7}
            required
            autoFocus
            value={code}
            onChange={(e) => setCode(e.target.value)}
            data-testid="mfa-code"
          />
          <button
            type="submit"
            className="button button-primary button-block"
            disabled={busy}
            data-testid="mfa-submit"
          >
            {busy ? 'Checking…' : 'Continue'}
          </button>
          <button
            type="button"
            className="link-button"
            onClick={() => {
              setRecovery((r) => !r);
              setCode('');
            }}
          >
            {recovery ? 'Use a code from the app instead' : 'Lost your phone? Use a recovery code'}
          </button>
        </form>
      )}
      {status && status.passkeys > 0 && (
        <button
          type="button"
          className={`button button-block${status.totp ? '' : ' button-primary'}`}
          disabled={busy}
          onClick={() => void finish(() => mfaApi.verifyPasskey())}
          data-testid="mfa-passkey"
        >
          Use a passkey
        </button>
      )}
      <button type="button" className="link-button" onClick={signOut}>
        Sign in as someone else
      </button>
    </AuthLayout>
  );
}
