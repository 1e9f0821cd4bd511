import { useEffect, useState } from 'react';
import { api } from '../api.js';
import { AddPasskey } from '../components/add-passkey.js';
import { AuthLayout } from '../components/auth-layout.js';
import { RecoveryCodesPanel } from '../components/recovery-codes.js';
import { TotpSetup } from '../components/totp-setup.js';
import { useTitle } from '../hooks/use-title.js';
import { navigate, useSearch } from '../lib/router.js';
import { routeForStage } from '../lib/sign-in-stage.js';

type Step = { kind: 'choose' } | { kind: 'totp' } | { kind: 'passkey' } | { kind: 'codes'; codes: string[] };

/** The workspace requires MFA and this account has none yet: set one up before anything else. */
export function SignInEnrollScreen() {
  useTitle('Set up two-factor authentication');
  const next = useSearch().get('next');
  const [step, setStep] = useState<Step>({ kind: 'choose' });

  useEffect(() => {
    let cancelled = false;
    api.me().then(
      (me) => !cancelled && me.stage !== 'enroll' && routeForStage(me.stage, next),
      () => {},
    );
    return () => {
      cancelled = true;
    };
  }, [next]);

  const signOut = async () => {
    await api.logout().catch(() => {});
    navigate('/login', { replace: true });
  };

  return (
    <AuthLayout
      title="Set up two-factor authentication"
      intro="Your workspace requires a second factor for your account. Set one up to continue."
    >
      {step.kind === 'choose' && (
        <div className="choice-list">
          <button
            type="button"
            className="button button-primary button-block"
            onClick={() => setStep({ kind: 'passkey' })}
            data-testid="enroll-passkey"
          >
            Use a passkey
          </button>
          <button
            type="button"
            className="button button-block"
            onClick={() => setStep({ kind: 'totp' })}
            data-testid="enroll-totp"
          >
            Use an authenticator app
          </button>
        </div>
      )}
      {step.kind === 'totp' && (
        <TotpSetup
          onConfirmed={(r) => setStep({ kind: 'codes', codes: r.recoveryCodes })}
          onCancel={() => setStep({ kind: 'choose' })}
        />
      )}
      {step.kind === 'passkey' && (
        <>
          <p>
            A passkey lives on this device, a security key, or your phone (choose “use a phone” in the
            browser’s dialog and scan the QR code).
          </p>
          <AddPasskey submitLabel="Create passkey" onAdded={(r) => routeForStage(r.me.stage, next)} />
          <button type="button" className="link-button" onClick={() => setStep({ kind: 'choose' })}>
            Back
          </button>
        </>
      )}
      {step.kind === 'codes' && (
        <RecoveryCodesPanel codes={step.codes} onDone={() => routeForStage('full', next)} />
      )}
      {step.kind !== 'codes' && (
        <button type="button" className="link-button" onClick={signOut}>
          Sign out
        </button>
      )}
    </AuthLayout>
  );
}
