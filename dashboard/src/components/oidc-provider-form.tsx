import { type FormEvent, useState } from 'react';
import type { Role } from '../../../protocol/common.js';
import type { CreateOidcProviderBody, OidcProvider, RoleMapping } from '../../../protocol/sso.js';
import { ApiError, errorMessage } from '../api.js';
import { FormError, TextField } from './field.js';

const ROLES: Role[] = ['operator', 'supervisor', 'administrator'];
const words = (text: string) => text.split(/[\s,]+/).filter(Boolean);

/** Add or edit one provider. Lists are typed as words (spaces or commas); mappings are rows. */
export function OidcProviderForm(props: {
  provider: OidcProvider | null;
  onSave: (body: CreateOidcProviderBody | Omit<CreateOidcProviderBody, 'clientSecret'>) => Promise<void>;
  onCancel: () => void;
}) {
  const p = props.provider;
  const [name, setName] = useState(p?.name ?? '');
  const [issuer, setIssuer] = useState(p?.issuer ?? '');
  const [clientId, setClientId] = useState(p?.clientId ?? '');
  const [clientSecret, setClientSecret] = useState('');
  const [scopes, setScopes] = useState((p?.scopes ?? ['email', 'profile']).join(' '));
  const [groupsClaim, setGroupsClaim] = useState(p?.groupsClaim ?? 'groups');
  const [domains, setDomains] = useState((p?.domains ?? []).join(', '));
  const [mappings, setMappings] = useState<RoleMapping[]>(p?.mappings ?? [{ group: '', role: 'operator' }]);
  const [linkExisting, setLinkExisting] = useState(p?.linkExistingAccounts ?? false);
  const [trustMfa, setTrustMfa] = useState(p?.trustProviderMfa ?? false);
  const [acr, setAcr] = useState((p?.mfaAcrValues ?? []).join(' '));
  const [error, setError] = useState<{ message: string; details: string[] } | null>(null);
  const [busy, setBusy] = useState(false);

  const setMapping = (i: number, m: RoleMapping) => setMappings(mappings.map((x, j) => (j === i ? m : x)));
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await props.onSave({
        name: name.trim(),
        issuer: issuer.trim(),
        clientId: clientId.trim(),
        ...(clientSecret ? { clientSecret } : {}),
        scopes: words(scopes),
        groupsClaim: groupsClaim.trim(),
        mappings: mappings.filter((m) => m.group.trim()),
        domains: words(domains),
        linkExistingAccounts: linkExisting,
        trustProviderMfa: trustMfa,
        mfaAcrValues: words(acr),
      } as CreateOidcProviderBody);
    } catch (e) {
      setError({ message: errorMessage(e), details: e instanceof ApiError ? e.details : [] });
      setBusy(false);
    }
  };

  return (
    <form className="card form" onSubmit={onSubmit} data-testid="oidc-provider-form">
      <h2 className="card-title">{p ? `Edit ${p.name}` : 'Add a provider'}</h2>
      <FormError message={error?.message ?? null} details={error?.details ?? []} />
      <TextField
        label="Name on the button"
        required
        maxLength={60}
        value={name}
        onChange={(e) => setName(e.target.value)}
        data-testid="oidc-name"
      />
      <TextField
        label="Issuer URL"
        hint="For example https://login.microsoftonline.com/<tenant>/v2.0, https://accounts.google.com or https://keycloak.example.com/realms/staff"
        required
        type="url"
        value={issuer}
        onChange={(e) => setIssuer(e.target.value)}
        data-testid="oidc-issuer"
      />
      <TextField
        label="Client ID"
        required
        value={clientId}
        onChange={(e) => setClientId(e.target.value)}
        data-testid="oidc-client-id"
      />
      <TextField
        label="Client secret"
        type="password"
        autoComplete="off"
        required={!p}
        hint={p ? 'Leave empty to keep the current secret.' : 'Stored encrypted; it is never shown again.'}
        value={clientSecret}
        onChange={(e) => setClientSecret(e.target.value)}
        data-testid="oidc-client-secret"
      />
      <TextField
        label="Email domains"
        hint="People whose email ends in one of these see the button on the sign-in screen (commas or spaces between)."
        required
        value={domains}
        onChange={(e) => setDomains(e.target.value)}
        data-testid="oidc-domains"
      />
      <TextField
        label="Scopes"
        hint="Besides openid, which is always asked for."
        value={scopes}
        onChange={(e) => setScopes(e.target.value)}
        data-testid="oidc-scopes"
      />
      <TextField
        label="Groups claim"
        hint="The ID token claim that lists the person’s groups (Google: hd)."
        required
        value={groupsClaim}
        onChange={(e) => setGroupsClaim(e.target.value)}
        data-testid="oidc-groups-claim"
      />
      <fieldset className="checkbox-group">
        <legend className="field-label">Groups and the role they give</legend>
        <p className="muted">
          People in none of these groups cannot sign in. Someone in several gets the highest role.
        </p>
        {mappings.map((m, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity of their own while typed
          <div className="mapping-row" key={i}>
            <label>
              Group
              <input
                className="input"
                value={m.group}
                maxLength={200}
                onChange={(e) => setMapping(i, { ...m, group: e.target.value })}
                data-testid={`oidc-group-${i}`}
              />
            </label>
            <label>
              Role
              <select
                value={m.role}
                onChange={(e) => setMapping(i, { ...m, role: e.target.value as Role })}
                data-testid={`oidc-role-${i}`}
              >
                {ROLES.map((r) => (
                  <option key={r} value={r}>
                    {r}
                  </option>
                ))}
              </select>
            </label>
            <button
              type="button"
              className="button"
              onClick={() => setMappings(mappings.filter((_, j) => j !== i))}
            >
              Remove<span className="visually-hidden"> mapping {i + 1}</span>
            </button>
          </div>
        ))}
        <button
          type="button"
          className="button"
          onClick={() => setMappings([...mappings, { group: '', role: 'operator' }])}
          data-testid="oidc-add-mapping"
        >
          Add a group
        </button>
      </fieldset>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={linkExisting}
          onChange={(e) => setLinkExisting(e.target.checked)}
          data-testid="oidc-link-existing"
        />
        Join existing accounts with the same email (only when the provider says it verified the email)
      </label>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={trustMfa}
          onChange={(e) => setTrustMfa(e.target.checked)}
          data-testid="oidc-trust-mfa"
        />
        Accept the provider’s two-factor check instead of Parley’s
      </label>
      {trustMfa && (
        <TextField
          label="acr values that mean two factors"
          hint="Optional; amr values such as mfa, otp or hwk always count."
          value={acr}
          onChange={(e) => setAcr(e.target.value)}
        />
      )}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy} data-testid="oidc-save">
          {busy ? 'Checking the provider…' : 'Save'}
        </button>
        <button type="button" className="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
