import { RelativeTime } from '../components/relative-time.js';
import { dataApi, downloadJson } from '../data-protection-api.js';
import { useLoad } from '../hooks/use-load.js';
import { useTitle } from '../hooks/use-title.js';
import { Link } from '../lib/router.js';
import { useSession } from '../lib/session-context.js';
import { localDateTime } from '../lib/time.js';

/** One archived conversation, decrypted for an administrator, and its JSON export. */
export function ArchiveScreen({ archiveId }: { archiveId: string }) {
  useTitle('Archived conversation');
  const { me } = useSession();
  const { result } = useLoad(`${me.workspace.id}/archives/${archiveId}`, () =>
    dataApi.getArchive(me.workspace.id, archiveId),
  );
  return (
    <div className="page page-narrow">
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <Link href="/archives">Archives</Link> <span aria-hidden="true">/</span> <span>Conversation</span>
      </nav>
      {result.state !== 'ready' && <h1 className="page-title">Archived conversation</h1>}
      {result.state === 'loading' && <p className="muted">Loading…</p>}
      {result.state === 'error' && (
        <div className="inline-error" role="alert">
          {result.status === 404
            ? 'This archived conversation does not exist (or was erased).'
            : result.message}
        </div>
      )}
      {result.state === 'ready' && (
        <>
          <div className="page-header">
            <h1 className="page-title">Archived conversation</h1>
            <button
              type="button"
              className="button"
              data-testid="archive-download"
              onClick={() => downloadJson(`archive-${result.data.id}.json`, result.data)}
            >
              Download JSON
            </button>
          </div>
          <p className="muted">
            Started <RelativeTime iso={result.data.conversation.createdAt} ago />, archived{' '}
            <RelativeTime iso={result.data.archivedAt} ago />.
          </p>
          {result.data.profile && (
            <dl className="details">
              <dt>Name</dt>
              <dd>{result.data.profile.name ?? '—'}</dd>
              <dt>Email</dt>
              <dd>{result.data.profile.email ?? '—'}</dd>
              <dt>Phone</dt>
              <dd>{result.data.profile.phone ?? '—'}</dd>
            </dl>
          )}
          <ol className="archive-messages">
            {result.data.messages.map((m) => (
              <li key={m.seq} className="note" data-testid="archive-message">
                <p className="muted">
                  {m.author.name} · {localDateTime(m.createdAt)}
                </p>
                <p className="pre-wrap">{m.body}</p>
              </li>
            ))}
          </ol>
          {result.data.notes.length > 0 && (
            <>
              <h2 className="card-subtitle">Notes</h2>
              <ul className="notes-list">
                {result.data.notes.map((n) => (
                  <li key={n.id} className="note">
                    <p className="pre-wrap">{n.body}</p>
                    <p className="muted">{n.author.name}</p>
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
    </div>
  );
}
