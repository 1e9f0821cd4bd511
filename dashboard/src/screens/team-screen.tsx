import { useState } from 'react';
import type { Invite, Member } from '../../../protocol/users-api.js';
import { errorMessage } from '../api.js';
import { InviteForm } from '../components/invite-form.js';
import { InviteList } from '../components/invite-list.js';
import { LoadStatus } from '../components/load-status.js';
import { MemberRow, type RowOutcome } from '../components/member-row.js';
import { useLoad } from '../hooks/use-load.js';
import { useTitle } from '../hooks/use-title.js';
import { scrollableRegion } from '../lib/scrollable.js';
import { useSession } from '../lib/session-context.js';
import { teamApi } from '../team-api.js';

interface TeamData {
  members: Member[];
  invites: Invite[] | null;
}

/** Members of the workspace. Administrators manage them; supervisors see the list only. */
export function TeamScreen() {
  useTitle('Team');
  const { me, isAdmin } = useSession();
  const wid = me.workspace.id;
  const [outcome, setOutcome] = useState<RowOutcome | null>(null);
  const fetchTeam = async (): Promise<TeamData> => {
    const [members, invites] = await Promise.all([
      teamApi.listMembers(wid),
      isAdmin ? teamApi.listInvites(wid) : Promise.resolve(null),
    ]);
    return { members: members.items, invites: invites?.items ?? null };
  };
  const { result, reload, set } = useLoad<TeamData>(`${wid}:${isAdmin}`, fetchTeam);
  // After a change the table stays in place (focus and scroll kept) while the new state loads.
  const refresh = () => {
    fetchTeam().then(set, (e: unknown) => setOutcome({ tone: 'error', text: errorMessage(e) }));
  };

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1 className="page-title">Team</h1>
          <p className="page-intro">
            {isAdmin
              ? 'Invite colleagues, choose what they may do, and end their access when they leave.'
              : 'Everyone in this workspace. Only administrators can change the team.'}
          </p>
        </div>
      </div>
      {isAdmin && <InviteForm workspaceId={wid} onInvited={refresh} />}
      {outcome && (
        <div
          className={outcome.tone === 'error' ? 'form-error' : 'notice notice-success'}
          role={outcome.tone === 'error' ? 'alert' : 'status'}
          data-testid="team-outcome"
        >
          {outcome.text}
        </div>
      )}
      <LoadStatus result={result} loading="Loading the team…" onRetry={reload} />
      {result.state === 'ready' && (
        <>
          <section className="card" aria-labelledby="members-title">
            <h2 className="card-title" id="members-title">
              Members
            </h2>
            <div className="table-scroll" {...scrollableRegion('Members table')}>
              <table className="table" data-testid="members">
                <thead>
                  <tr>
                    <th scope="col">Name and email</th>
                    <th scope="col">Role</th>
                    <th scope="col">Status</th>
                    <th scope="col">Last seen</th>
                    {isAdmin && (
                      <th scope="col">
                        <span className="visually-hidden">Actions</span>
                      </th>
                    )}
                  </tr>
                </thead>
                <tbody>
                  {result.data.members.map((m) => (
                    <MemberRow
                      key={m.id}
                      member={m}
                      workspaceId={wid}
                      isSelf={m.id === me.user.id}
                      manageable={isAdmin && m.id !== me.user.id}
                      showActions={isAdmin}
                      onOutcome={setOutcome}
                      onChanged={refresh}
                    />
                  ))}
                </tbody>
              </table>
            </div>
          </section>
          {result.data.invites && (
            <InviteList workspaceId={wid} invites={result.data.invites} onChange={refresh} />
          )}
        </>
      )}
    </div>
  );
}
