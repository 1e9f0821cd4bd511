import { type FormEvent, useEffect, useState } from 'react';
import type { Role } from '../../../protocol/common.js';
import type { MfaPolicy } from '../../../protocol/index.js';
import { errorMessage } from '../api.js';
import { FormError } from '../components/field.js';
import { useLoad } from '../hooks/use-load.js';
import { useTitle } from '../hooks/use-title.js';
import { Link } from '../lib/router.js';
import { useSession } from '../lib/session-context.js';
import { mfaApi } from '../mfa-api.js';

const ROLES: Array<{ role: Role; label: string }> = [
  { role: 'administrator', label: 'Administrators' },
  { role: 'supervisor', label: 'Supervisors' },
  { role: 'operator', label: 'Operators' },
];

/** Workspace security settings (administrators): who must use two-factor authentication. */
export function SecuritySettingsScreen() {
  useTitle('Security');
  const { me, isAdmin } = useSession();
  const wid = me.workspace.id;
  const { result, set } = useLoad(`policy/${wid}`, () => mfaApi.getPolicy(wid));
  const [draft, setDraft] = useState<MfaPolicy | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (result.state === 'ready') setDraft(result.data);
  }, [result]);

  if (!isAdmin) {
    return (
      <div className="page page-narrow">
        <h1 className="page-title">Security</h1>
        <p>Only administrators can change the workspace’s security settings.</p>
      </div>
    );
  }
  const toggleRole = (role: Role, on: boolean) =>
    draft &&
    setDraft({ ...draft, roles: on ? [...draft.roles, role] : draft.roles.filter((r) => r !== role) });
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!draft) return;
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      set(await mfaApi.setPolicy(wid, draft));
      setSaved(true);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="page page-narrow">
      <h1 className="page-title">Security</h1>
      {result.state === 'error' && (
        <div className="inline-error" role="alert">
          {result.message}
        </div>
      )}
      {draft && (
        <form className="card form" onSubmit={onSubmit}>
          <h2 className="card-title">Require two-factor authentication</h2>
          <p className="muted">
            People it applies to must set up an authenticator app or a passkey before they can do anything
            else. It takes effect at once, also for people who are signed in now. Set up your own in{' '}
            <Link href="/account/security">Account security</Link> first.
          </p>
          <FormError message={error} />
          {saved && (
            <div className="notice notice-success" role="status">
              Saved.
            </div>
          )}
          <fieldset className="checkbox-group">
            <legend className="field-label">Who must use it</legend>
            <label className="checkbox">
              <input
                type="checkbox"
                checked={draft.workspace}
                onChange={(e) => setDraft({ ...draft, workspace: e.target.checked })}
                data-testid="policy-workspace"
              />
              Everyone in the workspace
            </label>
            {ROLES.map(({ role, label }) => (
              <label className="checkbox" key={role}>
                <input
                  type="checkbox"
                  disabled={draft.workspace}
                  checked={draft.workspace || draft.roles.includes(role)}
                  onChange={(e) => toggleRole(role, e.target.checked)}
                  data-testid={`policy-role-${role}`}
                />
                {label}
              </label>
            ))}
          </fieldset>
          <div className="form-actions">
            <button type="submit" className="button button-primary" disabled={busy} data-testid="policy-save">
              {busy ? 'Saving…' : 'Save'}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
