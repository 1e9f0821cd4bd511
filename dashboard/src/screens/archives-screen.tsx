import { RelativeTime } from '../components/relative-time.js';
import { dataApi } from '../data-protection-api.js';
import { useLoad } from '../hooks/use-load.js';
import { useTitle } from '../hooks/use-title.js';
import { Link } from '../lib/router.js';
import { scrollableRegion } from '../lib/scrollable.js';
import { useSession } from '../lib/session-context.js';

/** Conversations moved out of the inbox after their widget's inactivity period (administrators). */
export function ArchivesScreen() {
  useTitle('Archives');
  const { me } = useSession();
  const { result, reload } = useLoad(`${me.workspace.id}/archives`, () =>
    dataApi.listArchives(me.workspace.id),
  );
  return (
    <div className="page">
      <h1 className="page-title">Archives</h1>
      <p className="muted">
        Conversations without a message for their widget's inactivity period move here, encrypted. Erasing a
        visitor removes theirs too.
      </p>
      {result.state === 'loading' && <p className="muted">Loading…</p>}
      {result.state === 'error' && (
        <div className="inline-error" role="alert">
          <span>{result.message}</span>
          <button type="button" className="button button-small" onClick={reload}>
            Retry
          </button>
        </div>
      )}
      {result.state === 'ready' && result.data.items.length === 0 && <p>No archived conversations.</p>}
      {result.state === 'ready' && result.data.items.length > 0 && (
        <div className="table-scroll" {...scrollableRegion('Archives table')}>
          <table className="table" data-testid="archive-list">
            <thead>
              <tr>
                <th scope="col">Archived</th>
                <th scope="col">Last message</th>
                <th scope="col">Messages</th>
                <th scope="col">Conversation</th>
              </tr>
            </thead>
            <tbody>
              {result.data.items.map((a) => (
                <tr key={a.id} data-testid="archive-item">
                  <td>
                    <RelativeTime iso={a.archivedAt} ago />
                  </td>
                  <td>{a.lastMessageAt ? <RelativeTime iso={a.lastMessageAt} ago /> : '—'}</td>
                  <td>{a.messageCount}</td>
                  <td>
                    <Link href={`/archives/${a.id}`} className="mono">
                      {a.conversationId.slice(0, 8)}
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
