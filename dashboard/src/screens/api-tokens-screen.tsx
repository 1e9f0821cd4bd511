import { useState } from 'react';
import type { ApiToken, CreatedApiToken } from '../../../protocol/api-tokens.js';
import { errorMessage } from '../api.js';
import { ApiTokenCertificate } from '../components/api-token-certificate.js';
import { ApiTokenForm } from '../components/api-token-form.js';
import { LoadStatus } from '../components/load-status.js';
import { RelativeTime } from '../components/relative-time.js';
import { SecretBox } from '../components/secret-box.js';
import { WorkspaceId } from '../components/workspace-id.js';
import { useLoad } from '../hooks/use-load.js';
import { useNow } from '../hooks/use-now.js';
import { useTitle } from '../hooks/use-title.js';
import { scrollableRegion } from '../lib/scrollable.js';
import { useSession } from '../lib/session-context.js';
import { tokenApi } from '../lib/token-api.js';

const dateFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const fullFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' });

function DateCell({ iso, none }: { iso: string | null; none: string }) {
  if (!iso) return <span className="muted">{none}</span>;
  return (
    <time dateTime={iso} title={fullFmt.format(Date.parse(iso))}>
      {dateFmt.format(Date.parse(iso))}
    </time>
  );
}

/** Administrators create, list and revoke the tokens their site backends use for the REST API. */
export function ApiTokensScreen() {
  useTitle('API tokens');
  const { me, isAdmin } = useSession();
  const wid = me.workspace.id;
  const { result, reload, set } = useLoad(`tokens/${wid}`, () =>
    tokenApi.listApiTokens(wid).then((r) => r.items),
  );
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const [creating, setCreating] = useState(false);

  if (!isAdmin) {
    return (
      <div className="page page-narrow">
        <h1 className="page-title">API tokens</h1>
        <div className="notice" role="status">
          Only administrators can manage API tokens.
        </div>
      </div>
    );
  }

  const replace = (token: ApiToken) => {
    if (result.state === 'ready') set(result.data.map((t) => (t.id === token.id ? token : t)));
  };

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1 className="page-title">API tokens</h1>
          <p className="page-intro">
            Your website’s backend uses a token to read conversations and send messages through the REST API (
            <code>Authorization: Bearer prt_…</code>). Give each system its own token with only the
            permissions it needs.
          </p>
        </div>
        {!creating && (
          <button
            type="button"
            className="button button-primary"
            onClick={() => {
              setCreating(true);
              setCreated(null);
            }}
            data-testid="token-new"
          >
            New token
          </button>
        )}
      </div>
      <WorkspaceId />
      {created && (
        <section
          className="card notice-success"
          aria-labelledby="token-created-title"
          data-testid="token-created"
        >
          <h2 id="token-created-title" className="card-title">
            Token “{created.apiToken.name}” created
          </h2>
          <p>
            <strong>Copy it now: it will not be shown again.</strong> Parley keeps only a fingerprint of it.
            Store it in your backend’s secret store, never in a web page.
          </p>
          <SecretBox label="New API token" value={created.token} testId="token-value" />
          <div className="form-actions">
            <button
              type="button"
              className="button"
              onClick={() => setCreated(null)}
              data-testid="token-done"
            >
              I have copied it
            </button>
          </div>
        </section>
      )}
      {creating && (
        <section className="card" aria-labelledby="token-form-title">
          <h2 id="token-form-title" className="card-title">
            New API token
          </h2>
          <ApiTokenForm
            onSubmit={async (body) => {
              const made = await tokenApi.createApiToken(wid, body);
              setCreated(made);
              setCreating(false);
              if (result.state === 'ready') set([made.apiToken, ...result.data]);
              else reload();
            }}
          />
          <button type="button" className="button button-quiet" onClick={() => setCreating(false)}>
            Cancel
          </button>
        </section>
      )}
      <LoadStatus result={result} loading="Loading tokens…" onRetry={reload} />
      {result.state === 'ready' && result.data.length === 0 && !creating && (
        <div className="empty-state">
          <h2 className="empty-title">No API tokens yet</h2>
          <p>Create one when a system of yours needs to read conversations or send messages.</p>
        </div>
      )}
      {result.state === 'ready' && result.data.length > 0 && (
        <TokenTable tokens={result.data} onRevoked={replace} />
      )}
    </div>
  );
}

function TokenTable({
  tokens,
  onRevoked,
}: {
  tokens: readonly ApiToken[];
  onRevoked: (t: ApiToken) => void;
}) {
  return (
    <div className="table-scroll" {...scrollableRegion('API tokens table')}>
      <table className="table" data-testid="token-table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Token</th>
            <th scope="col">Permissions</th>
            <th scope="col">Created</th>
            <th scope="col">Expires</th>
            <th scope="col">Last used</th>
            <th scope="col">Client certificate</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {tokens.map((t) => (
            <TokenRow key={t.id} token={t} onRevoked={onRevoked} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function TokenRow({ token: t, onRevoked }: { token: ApiToken; onRevoked: (t: ApiToken) => void }) {
  const { me } = useSession();
  const now = useNow();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const expired = t.expiresAt !== null && Date.parse(t.expiresAt) <= now;

  const revoke = async () => {
    setBusy(true);
    setError(null);
    try {
      onRevoked(await tokenApi.revokeApiToken(me.workspace.id, t.id));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };

  return (
    <tr
      data-testid="token-row"
      data-token-id={t.id}
      className={t.revokedAt || expired ? 'row-inactive' : undefined}
    >
      <td>{t.name}</td>
      <td className="mono">{t.prefix}_…</td>
      <td>
        <ul className="scope-list">
          {t.scopes.map((s) => (
            <li key={s} className="mono">
              {s}
            </li>
          ))}
        </ul>
      </td>
      <td>
        <DateCell iso={t.createdAt} none="" />
      </td>
      <td>
        <DateCell iso={t.expiresAt} none="Never" />
      </td>
      <td>{t.lastUsedAt ? <RelativeTime iso={t.lastUsedAt} ago /> : <span className="muted">Never</span>}</td>
      <td>
        <ApiTokenCertificate token={t} onChanged={onRevoked} />
      </td>
      <td data-testid="token-status">
        {t.revokedAt ? (
          <span>
            Revoked <DateCell iso={t.revokedAt} none="" />
          </span>
        ) : expired ? (
          'Expired'
        ) : confirming ? (
          <span className="confirm-actions">
            <button
              type="button"
              className="button button-small button-danger"
              onClick={revoke}
              disabled={busy}
              data-testid="token-revoke-confirm"
            >
              {busy ? 'Revoking…' : 'Revoke now'}
            </button>
            <button
              type="button"
              className="button button-small button-quiet"
              onClick={() => setConfirming(false)}
            >
              Keep
            </button>
          </span>
        ) : (
          <span className="confirm-actions">
            Active
            <button
              type="button"
              className="button button-small"
              onClick={() => setConfirming(true)}
              aria-label={`Revoke ${t.name}`}
              data-testid="token-revoke"
            >
              Revoke
            </button>
          </span>
        )}
        {error && (
          <div className="field-error" role="alert">
            {error}
          </div>
        )}
      </td>
    </tr>
  );
}
