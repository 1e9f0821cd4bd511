import { type FormEvent, useEffect, useState } from 'react';
import type { Role } from '../../../protocol/common.js';
import type { DirectorySettingsBody, DirectoryTestResult } from '../../../protocol/directory.js';
import { ApiError, errorMessage } from '../api.js';
import { FormError, focusFirstInvalid, TextAreaField, TextField } from '../components/field.js';
import { directoryApi } from '../directory-api.js';
import { useLoad } from '../hooks/use-load.js';
import { useTitle } from '../hooks/use-title.js';
import { useSession } from '../lib/session-context.js';

interface Draft extends Omit<DirectorySettingsBody, 'caPem' | 'groupBaseDn' | 'bindPassword'> {
  caPem: string;
  groupBaseDn: string;
  bindPassword: string;
}

const EMPTY: Draft = {
  emailDomain: '',
  url: 'ldaps://',
  startTls: false,
  caPem: '',
  bindDn: '',
  bindPassword: '',
  baseDn: '',
  userAttribute: 'uid',
  groupMode: 'memberOf',
  groupBaseDn: '',
  enabled: true,
  mappings: [],
};

const ROLES: Role[] = ['administrator', 'supervisor', 'operator'];

function toBody(d: Draft): DirectorySettingsBody {
  return {
    ...d,
    caPem: d.caPem.trim() || null,
    groupBaseDn: d.groupBaseDn.trim() || null,
    ...(d.bindPassword ? { bindPassword: d.bindPassword } : { bindPassword: undefined }),
    mappings: d.mappings.filter((m) => m.groupDn.trim()),
  };
}

/** Which field a server detail (`body/<field>: …`) is about, to mark that field. */
function fieldErrors(details: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of details) {
    const m = /^body\/(\w+)/.exec(d);
    if (m?.[1]) out[m[1]] = d.replace(/^body\/[\w/]+:\s*/, '');
  }
  return out;
}

/**
 * Administrators connect the workspace to the company directory (LDAP / Active Directory): people
 * whose email is at its domain then sign in with their directory password, in the role their group maps to.
 */
export function DirectoryScreen() {
  useTitle('Directory (LDAP)');
  const { me, isAdmin } = useSession();
  const wid = me.workspace.id;
  const { result, set } = useLoad(`directory/${wid}`, () => directoryApi.get(wid));
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [error, setError] = useState<{ message: string; details: string[] } | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState<'save' | 'test' | null>(null);
  const [test, setTest] = useState<DirectoryTestResult | null>(null);

  useEffect(() => {
    if (result.state !== 'ready') return;
    const d = result.data.directory;
    if (d)
      setDraft({
        ...d,
        caPem: d.caPem ?? '',
        groupBaseDn: d.groupBaseDn ?? '',
        bindPassword: '',
        mappings: d.mappings,
      });
  }, [result]);

  if (!isAdmin)
    return (
      <div className="page page-narrow">
        <h1 className="page-title">Directory (LDAP)</h1>
        <p>Only administrators can change how people sign in.</p>
      </div>
    );

  const plainAllowed = result.state === 'ready' && result.data.plainAllowed;
  const hasSaved = result.state === 'ready' && result.data.directory !== null;
  const edit = (patch: Partial<Draft>) => {
    setDraft({ ...draft, ...patch });
    setSaved(false);
  };
  const fail = (e: unknown, form: EventTarget | null) => {
    setError({ message: errorMessage(e), details: e instanceof ApiError ? e.details : [] });
    if (form) focusFirstInvalid(form);
  };
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy('save');
    setError(null);
    setTest(null);
    try {
      set(await directoryApi.save(wid, toBody(draft)));
      setDraft({ ...draft, bindPassword: '' });
      setSaved(true);
    } catch (e) {
      fail(e, event.currentTarget);
    } finally {
      setBusy(null);
    }
  };
  const onTest = async () => {
    setBusy('test');
    setError(null);
    setTest(null);
    try {
      setTest(await directoryApi.test(wid, toBody(draft)));
    } catch (e) {
      fail(e, null);
    } finally {
      setBusy(null);
    }
  };
  const invalid = fieldErrors(error?.details ?? []);
  const plain = draft.url.startsWith('ldap://') && !draft.startTls;

  return (
    <div className="page page-narrow">
      <h1 className="page-title">Directory (LDAP)</h1>
      <p className="page-intro">
        People whose email is at the domain below sign in with their company directory password. Parley finds
        them with the search account, lets the directory check the password, and gives them the role of their
        group. Accounts you made in Parley keep their own password: your way in if the directory is down.
      </p>
      {result.state === 'error' && (
        <div className="inline-error" role="alert">
          {result.message}
        </div>
      )}
      <form className="card form" onSubmit={onSubmit} noValidate data-testid="directory-form">
        <FormError message={error?.message ?? null} details={error?.details} />
        {saved && (
          <div className="notice notice-success" role="status">
            Saved.
          </div>
        )}
        <label className="checkbox">
          <input
            type="checkbox"
            checked={draft.enabled}
            onChange={(e) => edit({ enabled: e.target.checked })}
            data-testid="directory-enabled"
          />
          Sign people in through this directory
        </label>
        <TextField
          label="Email domain"
          hint="Sign-ins with an email at this domain go to the directory, e.g. example.com."
          value={draft.emailDomain}
          onChange={(e) => edit({ emailDomain: e.target.value.trim() })}
          error={invalid.emailDomain}
          required
          data-testid="directory-domain"
        />
        <TextField
          label="Server address"
          hint="ldaps://dc1.example.com:636, or ldap://dc1.example.com:389 with StartTLS."
          value={draft.url}
          onChange={(e) => edit({ url: e.target.value.trim() })}
          error={invalid.url}
          required
          data-testid="directory-url"
        />
        <label className="checkbox">
          <input
            type="checkbox"
            checked={draft.startTls}
            onChange={(e) => edit({ startTls: e.target.checked })}
            data-testid="directory-starttls"
          />
          Use StartTLS (for ldap:// addresses)
        </label>
        {plain && (
          <div
            className={plainAllowed ? 'notice' : 'inline-error'}
            role="status"
            data-testid="directory-plain"
          >
            {plainAllowed
              ? 'Warning: without ldaps:// or StartTLS, passwords cross the network readable.'
              : 'Plain LDAP is refused on this server: use ldaps://, or turn on StartTLS.'}
          </div>
        )}
        <TextAreaField
          label="CA certificate (PEM)"
          hint="The certificate authority that signed the directory server’s certificate. Empty: the system’s trusted CAs."
          value={draft.caPem}
          onChange={(e) => edit({ caPem: e.target.value })}
          error={invalid.caPem}
          rows={4}
          spellCheck={false}
          data-testid="directory-ca"
        />
        <TextField
          label="Search account DN"
          hint="A read-only account, e.g. cn=parley-search,ou=services,dc=example,dc=com."
          value={draft.bindDn}
          onChange={(e) => edit({ bindDn: e.target.value })}
          error={invalid.bindDn}
          required
          data-testid="directory-bind-dn"
        />
        <TextField
          label="Search account password"
          hint={
            hasSaved
              ? 'Saved and never shown. Leave empty to keep it.'
              : 'Stored encrypted; never shown again.'
          }
          type="password"
          autoComplete="new-password"
          value={draft.bindPassword}
          onChange={(e) => edit({ bindPassword: e.target.value })}
          error={invalid.bindPassword}
          data-testid="directory-bind-password"
        />
        <TextField
          label="Base DN for people"
          value={draft.baseDn}
          onChange={(e) => edit({ baseDn: e.target.value })}
          error={invalid.baseDn}
          required
          data-testid="directory-base-dn"
        />
        <div className="field">
          <label className="field-label" htmlFor="directory-attribute">
            Sign-in name attribute
          </label>
          <select
            id="directory-attribute"
            className="input"
            value={draft.userAttribute}
            onChange={(e) => edit({ userAttribute: e.target.value as Draft['userAttribute'] })}
            data-testid="directory-attribute"
          >
            <option value="uid">uid (OpenLDAP: the part of the email before @)</option>
            <option value="sAMAccountName">sAMAccountName (Active Directory: before @)</option>
            <option value="mail">mail (the whole email)</option>
          </select>
        </div>
        <div className="field">
          <label className="field-label" htmlFor="directory-groups">
            Groups
          </label>
          <select
            id="directory-groups"
            className="input"
            value={draft.groupMode}
            onChange={(e) => edit({ groupMode: e.target.value as Draft['groupMode'] })}
            data-testid="directory-group-mode"
          >
            <option value="memberOf">The person’s memberOf attribute (Active Directory)</option>
            <option value="search">Search groups that list the person as member</option>
          </select>
        </div>
        {draft.groupMode === 'search' && (
          <TextField
            label="Base DN for groups"
            value={draft.groupBaseDn}
            onChange={(e) => edit({ groupBaseDn: e.target.value })}
            error={invalid.groupBaseDn}
            data-testid="directory-group-base"
          />
        )}
        <Mappings draft={draft} edit={edit} error={invalid.mappings} />
        {test && (
          <div
            className={test.ok ? 'notice notice-success' : 'inline-error'}
            role="status"
            data-testid="directory-test-result"
          >
            {test.message}
          </div>
        )}
        <div className="form-actions">
          <button
            type="submit"
            className="button button-primary"
            disabled={busy !== null}
            data-testid="directory-save"
          >
            {busy === 'save' ? 'Saving…' : 'Save'}
          </button>
          <button
            type="button"
            className="button"
            onClick={onTest}
            disabled={busy !== null}
            data-testid="directory-test"
          >
            {busy === 'test' ? 'Testing…' : 'Test connection'}
          </button>
        </div>
      </form>
    </div>
  );
}

function Mappings({
  draft,
  edit,
  error,
}: {
  draft: Draft;
  edit: (p: Partial<Draft>) => void;
  error?: string | undefined;
}) {
  const rows = draft.mappings;
  const update = (i: number, patch: Partial<Draft['mappings'][number]>) =>
    edit({ mappings: rows.map((m, j) => (j === i ? { ...m, ...patch } : m)) });
  return (
    <fieldset className="checkbox-group" data-testid="directory-mappings">
      <legend className="field-label">Groups and their roles</legend>
      <p className="muted">
        People in none of these groups cannot sign in. In several, they get the highest role.
      </p>
      {error && <div className="field-error">{error}</div>}
      {rows.map((m, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity until saved
        <div className="mapping-row" key={i}>
          <TextField
            label={`Group DN ${i + 1}`}
            value={m.groupDn}
            onChange={(e) => update(i, { groupDn: e.target.value })}
            data-testid="mapping-group"
          />
          <div className="field">
            <label className="field-label" htmlFor={`mapping-role-${i}`}>
              Role
            </label>
            <select
              id={`mapping-role-${i}`}
              className="input"
              value={m.role}
              onChange={(e) => update(i, { role: e.target.value as Role })}
              data-testid="mapping-role"
            >
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </div>
          <button
            type="button"
            className="button button-small button-quiet"
            onClick={() => edit({ mappings: rows.filter((_, j) => j !== i) })}
            aria-label={`Remove group ${i + 1}`}
          >
            Remove
          </button>
        </div>
      ))}
      <button
        type="button"
        className="button button-small"
        onClick={() => edit({ mappings: [...rows, { groupDn: '', role: 'operator' }] })}
        data-testid="mapping-add"
      >
        Add a group
      </button>
    </fieldset>
  );
}
