import { useState } from 'react';
import type { Invite } from '../../../protocol/users-api.js';
import { errorMessage } from '../api.js';
import { ROLE_LABEL } from '../lib/roles.js';
import { scrollableRegion } from '../lib/scrollable.js';
import { localDateTime } from '../lib/time.js';
import { teamApi } from '../team-api.js';
import { RelativeTime } from './relative-time.js';

/** Invitations not yet accepted, with revoke; accepted, expired and revoked ones are history. */
export function InviteList({
  workspaceId,
  invites,
  onChange,
}: {
  workspaceId: string;
  invites: readonly Invite[];
  onChange: () => void;
}) {
  const [error, setError] = useState<string | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const pending = invites.filter((i) => i.status === 'pending');

  const revoke = async (invite: Invite) => {
    setBusyId(invite.id);
    setError(null);
    try {
      await teamApi.revokeInvite(workspaceId, invite.id);
      onChange();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusyId(null);
    }
  };

  return (
    <section className="card" aria-labelledby="pending-title">
      <h2 className="card-title" id="pending-title">
        Pending invitations
      </h2>
      {error && (
        <div className="form-error" role="alert">
          {error}
        </div>
      )}
      {pending.length === 0 ? (
        <p className="muted">No invitation is waiting to be accepted.</p>
      ) : (
        <div className="table-scroll" {...scrollableRegion('Pending invitations table')}>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Sent</th>
                <th scope="col">Expires</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {pending.map((invite) => (
                <tr key={invite.id} data-testid="invite-row" data-email={invite.email}>
                  <td>{invite.email}</td>
                  <td>{ROLE_LABEL[invite.role]}</td>
                  <td>
                    <RelativeTime iso={invite.createdAt} ago />
                  </td>
                  <td>
                    <time dateTime={invite.expiresAt}>{localDateTime(invite.expiresAt)}</time>
                  </td>
                  <td>
                    <div className="row-actions">
                      <button
                        type="button"
                        className="button button-small"
                        disabled={busyId === invite.id}
                        onClick={() => revoke(invite)}
                        aria-label={`Revoke the invitation for ${invite.email}`}
                        data-testid="invite-revoke"
                      >
                        Revoke
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
