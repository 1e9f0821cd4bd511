import { ChangePasswordForm } from '../components/change-password-form.js';
import { LoadStatus } from '../components/load-status.js';
import { SessionList } from '../components/session-list.js';
import { WorkspaceId } from '../components/workspace-id.js';
import { useLoad } from '../hooks/use-load.js';
import { useTitle } from '../hooks/use-title.js';
import { ROLE_LABEL } from '../lib/roles.js';
import { Link } from '../lib/router.js';
import { useSession } from '../lib/session-context.js';
import { teamApi } from '../team-api.js';

/** The signed-in person's own account: password and sessions. */
export function AccountScreen() {
  useTitle('Your account');
  const { me } = useSession();
  const { result, reload, set } = useLoad('sessions', () => teamApi.listSessions().then((r) => r.items));
  const refresh = () => {
    teamApi.listSessions().then((r) => set(r.items), reload);
  };

  return (
    <div className="page page-narrow">
      <div className="page-header">
        <div>
          <h1 className="page-title">Your account</h1>
          <p className="page-intro">
            {me.user.name} · {me.user.email} · {ROLE_LABEL[me.role]} in {me.workspace.name}
          </p>
        </div>
        <Link href="/account/security" className="button" data-testid="account-security-link">
          Two-factor and passkeys
        </Link>
      </div>
      <WorkspaceId />
      <ChangePasswordForm onChanged={refresh} />
      <LoadStatus result={result} loading="Loading your sessions…" onRetry={reload} />
      {result.state === 'ready' && <SessionList sessions={result.data} onChanged={refresh} />}
    </div>
  );
}
