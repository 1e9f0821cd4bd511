import { useState } from 'react';
import type { Role } from '../../../protocol/common.js';
import type { Member, MemberPatch } from '../../../protocol/users-api.js';
import { errorMessage } from '../api.js';
import { ROLE_LABEL, ROLE_OPTIONS } from '../lib/roles.js';
import { teamApi } from '../team-api.js';
import { ConfirmButton } from './confirm-button.js';
import { RelativeTime } from './relative-time.js';

export interface RowOutcome {
  tone: 'success' | 'error';
  text: string;
}

interface Props {
  member: Member;
  workspaceId: string;
  /** Administrators manage other members; their own row and everyone's rows for others are read-only. */
  manageable: boolean;
  isSelf: boolean;
  showActions: boolean;
  onOutcome: (outcome: RowOutcome) => void;
  onChanged: () => void;
}

export function MemberRow({
  member,
  workspaceId,
  manageable,
  isSelf,
  showActions,
  onOutcome,
  onChanged,
}: Props) {
  const [busy, setBusy] = useState(false);

  const run = async (action: () => Promise<string>) => {
    setBusy(true);
    try {
      onOutcome({ tone: 'success', text: await action() });
      onChanged();
    } catch (e) {
      onOutcome({ tone: 'error', text: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };
  const patch = (body: MemberPatch, done: string) =>
    run(async () => {
      await teamApi.updateMember(workspaceId, member.id, body);
      return done;
    });

  const changeRole = (role: Role) =>
    patch({ role }, `${member.name} is now ${ROLE_LABEL[role].toLowerCase()}.`);
  const toggleDisabled = () =>
    patch(
      { disabled: !member.disabled },
      member.disabled
        ? `${member.name} can sign in again.`
        : `${member.name} is disabled and was signed out everywhere.`,
    );
  const endSessions = () =>
    run(async () => {
      const { ended } = await teamApi.endMemberSessions(workspaceId, member.id);
      return ended === 1
        ? `Ended 1 session of ${member.name}.`
        : `Ended ${ended} sessions of ${member.name}.`;
    });
  const remove = () =>
    run(async () => {
      await teamApi.deleteMember(workspaceId, member.id);
      return `${member.name} was removed from the workspace.`;
    });

  return (
    <tr
      data-testid="member-row"
      data-email={member.email}
      data-role={member.role}
      data-disabled={member.disabled}
    >
      <td>
        <div className="member-name">
          {member.name}
          {isSelf && <span className="muted"> (you)</span>}
        </div>
        <div className="member-email muted">{member.email}</div>
      </td>
      <td>
        {manageable ? (
          <select
            className="input select select-compact"
            aria-label={`Role of ${member.name}`}
            value={member.role}
            disabled={busy}
            onChange={(e) => changeRole(e.target.value as Role)}
            data-testid="member-role"
          >
            {ROLE_OPTIONS.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        ) : (
          ROLE_LABEL[member.role]
        )}
      </td>
      <td>
        <span className={`status-badge ${member.disabled ? 'status-disabled' : 'status-active'}`}>
          {member.disabled ? 'Disabled' : 'Active'}
        </span>
      </td>
      <td>
        {member.lastSeenAt ? (
          <RelativeTime iso={member.lastSeenAt} ago />
        ) : (
          <span className="muted">Never</span>
        )}
      </td>
      {showActions && (
        <td>
          <div className="row-actions">
            {manageable && (
              <>
                <button
                  type="button"
                  className="button button-small"
                  disabled={busy}
                  onClick={toggleDisabled}
                  data-testid="member-toggle-disabled"
                >
                  {member.disabled ? 'Enable' : 'Disable'}
                </button>
                <button
                  type="button"
                  className="button button-small"
                  disabled={busy || member.disabled}
                  onClick={endSessions}
                  data-testid="member-end-sessions"
                >
                  End sessions
                </button>
                <ConfirmButton
                  label="Delete"
                  question="Delete for good?"
                  detail={`${member.name} (${member.email}) loses access and cannot be restored.`}
                  confirmLabel="Delete"
                  busy={busy}
                  onConfirm={remove}
                  testId="member-delete"
                />
              </>
            )}
          </div>
        </td>
      )}
    </tr>
  );
}
