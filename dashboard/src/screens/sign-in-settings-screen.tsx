import { useState } from 'react';
import type { OidcProvider } from '../../../protocol/sso.js';
import { errorMessage } from '../api.js';
import { FormError } from '../components/field.js';
import { OidcProviderForm } from '../components/oidc-provider-form.js';
import { useLoad } from '../hooks/use-load.js';
import { useTitle } from '../hooks/use-title.js';
import { useSession } from '../lib/session-context.js';
import { localDateTime } from '../lib/time.js';
import { ssoApi } from '../sso-api.js';

/** Company sign-in (administrators): OpenID Connect providers, their group mappings, SSO-only. */
export function SignInSettingsScreen() {
  useTitle('Company sign-in');
  const { me } = useSession();
  const wid = me.workspace.id;
  const providers = useLoad(`sso/${wid}`, () => ssoApi.list(wid));
  const settings = useLoad(`sso-settings/${wid}`, () => ssoApi.settings(wid));
  const [editing, setEditing] = useState<OidcProvider | 'new' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const act = async (work: () => Promise<unknown>, done: string) => {
    setError(null);
    setNotice(null);
    try {
      await work();
      setNotice(done);
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const items = providers.result.state === 'ready' ? providers.result.data.items : [];
  const ssoOnly = settings.result.state === 'ready' && settings.result.data.ssoOnly;

  return (
    <div className="page page-narrow">
      <h1 className="page-title">Company sign-in</h1>
      <p className="muted">
        Let people sign in with their company account (OpenID Connect: Microsoft Entra ID, Google, Keycloak…).
      </p>
      <FormError message={error} />
      {notice && (
        <div className="notice notice-success" role="status">
          {notice}
        </div>
      )}
      {providers.result.state === 'error' && (
        <div className="inline-error" role="alert">
          {providers.result.message}
        </div>
      )}
      <section className="card" aria-labelledby="providers-title">
        <h2 className="card-title" id="providers-title">
          Providers
        </h2>
        {items.length === 0 && providers.result.state === 'ready' && <p>No provider yet.</p>}
        <ul className="plain-list" data-testid="oidc-providers">
          {items.map((p) => (
            <li key={p.id} className="provider-item">
              <strong>{p.name}</strong> <span className="muted">{p.domains.join(', ')}</span>
              <div className="muted provider-uri">
                Redirect URI to register: <code>{p.redirectUri}</code>
              </div>
              <div className="muted provider-uri">
                Back-channel logout URI: <code>{p.backchannelLogoutUri}</code>
              </div>
              <RecheckLine recheck={p.lastRecheck} />
              <div className="form-actions">
                <button type="button" className="button" onClick={() => setEditing(p)}>
                  Edit<span className="visually-hidden"> {p.name}</span>
                </button>
                <button
                  type="button"
                  className="button button-danger"
                  onClick={() =>
                    window.confirm(`Remove ${p.name}? People signed in through it are signed out.`) &&
                    void act(async () => {
                      await ssoApi.remove(wid, p.id);
                      providers.reload();
                    }, `${p.name} was removed.`)
                  }
                >
                  Remove<span className="visually-hidden"> {p.name}</span>
                </button>
              </div>
            </li>
          ))}
        </ul>
        {editing === null && (
          <button
            type="button"
            className="button button-primary"
            onClick={() => setEditing('new')}
            data-testid="oidc-add"
          >
            Add a provider
          </button>
        )}
      </section>
      {editing !== null && (
        <OidcProviderForm
          provider={editing === 'new' ? null : editing}
          onCancel={() => setEditing(null)}
          onSave={async (body) => {
            if (editing === 'new') await ssoApi.create(wid, body as Parameters<typeof ssoApi.create>[1]);
            else await ssoApi.update(wid, editing.id, body);
            setEditing(null);
            setNotice('Saved.');
            providers.reload();
          }}
        />
      )}
      <section className="card" aria-labelledby="sso-only-title">
        <h2 className="card-title" id="sso-only-title">
          SSO only
        </h2>
        <p className="muted">
          Turn passwords off for this workspace. The workspace’s first administrator keeps a password for
          emergencies, when the provider cannot be reached; each such sign-in is in the audit log.
        </p>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={ssoOnly}
            disabled={settings.result.state !== 'ready' || (!ssoOnly && items.length === 0)}
            onChange={(e) => {
              const on = e.target.checked;
              void act(
                async () => settings.set(await ssoApi.setSettings(wid, { ssoOnly: on })),
                on ? 'Passwords are off.' : 'Passwords are on again.',
              );
            }}
            data-testid="sso-only"
          />
          Sign in with the company account only
        </label>
        {items.length === 0 && !ssoOnly && <p className="muted">Add a provider first.</p>}
      </section>
    </div>
  );
}

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * How the provider's last periodic re-check went: whether it answered, and what came of it. An
 * unreachable provider is said plainly, with what it means (nobody was signed out).
 */
function RecheckLine({ recheck }: { recheck: OidcProvider['lastRecheck'] }) {
  if (!recheck)
    return (
      <p className="muted provider-recheck" data-testid="oidc-recheck">
        Not re-checked yet: Parley asks the provider about signed-in people every 30 seconds or so.
      </p>
    );
  const when = <time dateTime={recheck.at}>{localDateTime(recheck.at)}</time>;
  if (recheck.result === 'unreachable')
    return (
      <p className="provider-recheck recheck-unreachable" data-testid="oidc-recheck">
        Last re-check {when}: <strong>the provider could not be reached.</strong> Nobody was signed out;
        Parley keeps asking.
      </p>
    );
  return (
    <p className="muted provider-recheck" data-testid="oidc-recheck">
      Last re-check {when}: the provider answered for {count(recheck.accounts, 'account', 'accounts')};{' '}
      {count(recheck.ended, 'person', 'people')} signed out, {count(recheck.roleChanges, 'role', 'roles')}{' '}
      changed.
    </p>
  );
}
