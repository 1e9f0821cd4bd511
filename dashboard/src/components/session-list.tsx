import { useState } from 'react';
import type { SessionInfo } from '../../../protocol/users-api.js';
import { errorMessage } from '../api.js';
import { redirectToLogin } from '../lib/auth-redirect.js';
import { scrollableRegion } from '../lib/scrollable.js';
import { teamApi } from '../team-api.js';
import { ConfirmButton } from './confirm-button.js';
import { RelativeTime } from './relative-time.js';

/**
 * The signed-in user's sessions: where they are signed in, with revoke and "sign out everywhere".
 * Ending this browser's own session leaves the app for the sign-in page.
 */
export function SessionList({
  sessions,
  onChanged,
}: {
  sessions: readonly SessionInfo[];
  onChanged: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const act = async (action: () => Promise<unknown>, endsThisSession: boolean, notice: string) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      if (endsThisSession) return redirectToLogin(notice);
      onChanged();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const revoke = (s: SessionInfo) =>
    act(() => teamApi.revokeSession(s.id), s.current, 'You signed out of this browser.');
  const endAll = () => act(() => teamApi.endAllSessions(), true, 'You are signed out on every device.');

  return (
    <section className="card" aria-labelledby="sessions-title">
      <div className="card-header">
        <h2 className="card-title" id="sessions-title">
          Where you are signed in
        </h2>
        <ConfirmButton
          label="Sign out everywhere"
          question="Sign out on every device, this one included?"
          confirmLabel="Sign out everywhere"
          busy={busy}
          onConfirm={endAll}
          testId="sessions-end-all"
        />
      </div>
      {error && (
        <div className="form-error" role="alert">
          {error}
        </div>
      )}
      <div className="table-scroll" {...scrollableRegion('Sessions table')}>
        <table className="table" data-testid="sessions">
          <thead>
            <tr>
              <th scope="col">Device</th>
              <th scope="col">IP address</th>
              <th scope="col">Signed in</th>
              <th scope="col">Last seen</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <tr key={s.id} data-testid="session-row" data-current={s.current}>
                <td className="nowrap">
                  {s.device}
                  {s.current && <span className="this-device"> This device</span>}
                </td>
                <td className="mono">{s.ip ?? '—'}</td>
                <td>
                  <RelativeTime iso={s.createdAt} ago />
                </td>
                <td>
                  <RelativeTime iso={s.lastSeenAt} ago />
                </td>
                <td>
                  <div className="row-actions">
                    <button
                      type="button"
                      className="button button-small"
                      disabled={busy}
                      onClick={() => revoke(s)}
                      aria-label={s.current ? 'Sign out of this device' : `Revoke the session on ${s.device}`}
                      data-testid="session-revoke"
                    >
                      {s.current ? 'Sign out' : 'Revoke'}
                    </button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
