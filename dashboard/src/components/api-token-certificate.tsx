import { type FormEvent, useState } from 'react';
import type { ApiToken } from '../../../protocol/api-tokens.js';
import { errorMessage } from '../api.js';
import { useSession } from '../lib/session-context.js';
import { tokenApi } from '../lib/token-api.js';

type Kind = 'none' | 'sha256' | 'ca';

/** What a token's certificate binding is, in a few words. */
export function describeBinding(t: ApiToken): string {
  if (!t.certificate) return 'Not required';
  if (t.certificate.sha256) return `Certificate SHA-256 ${t.certificate.sha256.slice(0, 16)}…`;
  return `Issued by ${t.certificate.caSubject ?? 'a CA'}`;
}

/**
 * The token's client-certificate binding and its editor: a token bound to a certificate (by its
 * SHA-256) or to a CA is refused without it, even with the right token.
 */
export function ApiTokenCertificate({
  token: t,
  onChanged,
}: {
  token: ApiToken;
  onChanged: (t: ApiToken) => void;
}) {
  const { me } = useSession();
  const [open, setOpen] = useState(false);
  const [kind, setKind] = useState<Kind>(t.certificate?.sha256 ? 'sha256' : t.certificate ? 'ca' : 'none');
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = `cert-${t.id}`;

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body =
        kind === 'sha256'
          ? { sha256: value.trim(), caPem: null }
          : kind === 'ca'
            ? { sha256: null, caPem: value.trim() }
            : { sha256: null, caPem: null };
      onChanged(await tokenApi.bindCertificate(me.workspace.id, t.id, body));
      setOpen(false);
      setValue('');
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div data-testid="token-certificate">
      <span>{describeBinding(t)}</span>{' '}
      {!t.revokedAt && (
        <button
          type="button"
          className="button button-small button-quiet"
          onClick={() => setOpen(!open)}
          aria-expanded={open}
          aria-label={`Change client certificate of ${t.name}`}
          data-testid="token-certificate-edit"
        >
          Change
        </button>
      )}
      {open && (
        <form className="form" onSubmit={onSubmit}>
          <label className="field-label" htmlFor={`${id}-kind`}>
            Requests must come with
          </label>
          <select
            id={`${id}-kind`}
            className="input"
            value={kind}
            onChange={(e) => setKind(e.target.value as Kind)}
            data-testid="token-certificate-kind"
          >
            <option value="none">No certificate needed</option>
            <option value="sha256">This certificate (SHA-256 fingerprint)</option>
            <option value="ca">A certificate issued by this CA (PEM)</option>
          </select>
          {kind !== 'none' && (
            <>
              <label className="field-label" htmlFor={`${id}-value`}>
                {kind === 'sha256' ? 'SHA-256 fingerprint' : 'CA certificate (PEM)'}
              </label>
              <textarea
                id={`${id}-value`}
                className="input mono"
                rows={kind === 'ca' ? 4 : 2}
                value={value}
                onChange={(e) => setValue(e.target.value)}
                spellCheck={false}
                data-testid="token-certificate-value"
              />
            </>
          )}
          {error && (
            <div className="field-error" role="alert">
              {error}
            </div>
          )}
          <button
            type="submit"
            className="button button-small"
            disabled={busy}
            data-testid="token-certificate-save"
          >
            {busy ? 'Saving…' : 'Save'}
          </button>
        </form>
      )}
    </div>
  );
}
