import { useState } from 'react';
import type { MfaStatus, Passkey } from '../../../protocol/index.js';
import { ApiError, errorMessage } from '../api.js';
import { AddPasskey } from '../components/add-passkey.js';
import { PasskeyList } from '../components/passkey-list.js';
import { RecoveryCodesPanel } from '../components/recovery-codes.js';
import { StepUpForm } from '../components/step-up-form.js';
import { TotpSetup } from '../components/totp-setup.js';
import { useLoad } from '../hooks/use-load.js';
import { useTitle } from '../hooks/use-title.js';
import { useSession } from '../lib/session-context.js';
import { mfaApi } from '../mfa-api.js';

/** A sensitive change waiting for fresh proof: run it with a code, or after a passkey step-up. */
interface Pending {
  label: string;
  run: (code?: string) => Promise<void>;
}

/** The signed-in person's own sign-in security: authenticator app, recovery codes, passkeys. */
export function AccountSecurityScreen() {
  useTitle('Account security');
  const { me, renew } = useSession();
  const status = useLoad(`mfa/${me.user.id}`, () => mfaApi.status());
  const keys = useLoad(`passkeys/${me.user.id}`, () => mfaApi.listPasskeys());
  const [settingUp, setSettingUp] = useState(false);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const refresh = () => {
    status.reload();
    keys.reload();
  };
  /** Tries the change at once when a second factor was proven recently; otherwise asks for proof. */
  const sensitive = async (current: MfaStatus, p: Pending) => {
    setError(null);
    setNotice(null);
    if (!current.recentlyVerified) return setPending(p);
    try {
      await p.run();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'step_up_required') setPending(p);
      else setError(errorMessage(e));
    }
  };

  if (status.result.state !== 'ready') {
    return (
      <div className="page page-narrow">
        <h1 className="page-title">Account security</h1>
        {status.result.state === 'loading' ? (
          <p className="muted">Loading…</p>
        ) : (
          <div className="inline-error" role="alert">
            {status.result.message}
          </div>
        )}
      </div>
    );
  }
  const s = status.result.data;
  const passkeys: Passkey[] = keys.result.state === 'ready' ? keys.result.data : [];
  const removePasskey = (p: Passkey) =>
    sensitive(s, {
      label: `remove the passkey “${p.name}”`,
      run: async (code) => {
        await mfaApi.removePasskey(p.id, code);
        setNotice(`Removed the passkey “${p.name}”.`);
        refresh();
      },
    });

  return (
    <div className="page page-narrow security-page">
      <h1 className="page-title">Account security</h1>
      <p className="page-intro">
        A second factor keeps your account safe even if your password leaks.
        {s.required && ' Your workspace requires one for your account.'}
      </p>
      {notice && (
        <div className="notice notice-success" role="status">
          {notice}
        </div>
      )}
      {error && (
        <div className="inline-error" role="alert">
          {error}
        </div>
      )}
      {pending && (
        <div className="card">
          <StepUpForm
            status={s}
            action={pending.label}
            onCode={async (code) => {
              await pending.run(code);
              setPending(null);
            }}
            onPasskey={async () => {
              await renew(() => mfaApi.verifyPasskey());
              await pending.run();
              setPending(null);
            }}
            onCancel={() => setPending(null)}
          />
        </div>
      )}

      <section className="card" aria-labelledby="totp-title">
        <h2 id="totp-title" className="card-title">
          Authenticator app
        </h2>
        {codes && (
          <RecoveryCodesPanel
            codes={codes}
            onDone={() => {
              setCodes(null);
              refresh();
            }}
          />
        )}
        {!codes && s.totp && (
          <>
            <p data-testid="totp-on">On. {s.recoveryCodesLeft} of 10 recovery codes left.</p>
            <div className="form-actions">
              <button
                type="button"
                className="button"
                onClick={() =>
                  sensitive(s, {
                    label: 'create new recovery codes',
                    run: async (code) => setCodes((await mfaApi.regenerateRecoveryCodes(code)).recoveryCodes),
                  })
                }
              >
                New recovery codes
              </button>
              <button
                type="button"
                className="button"
                data-testid="totp-remove"
                onClick={() =>
                  sensitive(s, {
                    label: 'turn off the authenticator app',
                    run: async (code) => {
                      await mfaApi.removeTotp(code);
                      setNotice('The authenticator app is turned off.');
                      refresh();
                    },
                  })
                }
              >
                Turn off
              </button>
            </div>
          </>
        )}
        {!codes && !s.totp && !settingUp && (
          <>
            <p className="muted">Use six-digit codes from an app on your phone.</p>
            <button
              type="button"
              className="button button-primary"
              onClick={() => setSettingUp(true)}
              data-testid="totp-setup"
            >
              Set up
            </button>
          </>
        )}
        {!codes && !s.totp && settingUp && (
          <TotpSetup
            onConfirmed={(r) => {
              setSettingUp(false);
              setCodes(r.recoveryCodes);
            }}
            onCancel={() => setSettingUp(false)}
          />
        )}
      </section>

      <section className="card" aria-labelledby="passkeys-title">
        <h2 id="passkeys-title" className="card-title">
          Passkeys
        </h2>
        <p className="muted">
          Sign in without a password, with this device, a security key or your phone. A passkey also counts as
          your second factor.
        </p>
        {keys.result.state === 'error' && (
          <div className="inline-error" role="alert">
            {keys.result.message}
          </div>
        )}
        <PasskeyList
          passkeys={passkeys}
          onRenamed={(p) => keys.set(passkeys.map((k) => (k.id === p.id ? p : k)))}
          onRemove={removePasskey}
        />
        <AddPasskey
          onAdded={(r) => {
            setNotice(`Added the passkey “${r.passkey.name}”.`);
            refresh();
          }}
        />
      </section>
    </div>
  );
}
