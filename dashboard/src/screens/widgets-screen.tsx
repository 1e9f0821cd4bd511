import { api } from '../api.js';
import { LoadStatus } from '../components/load-status.js';
import { RelativeTime } from '../components/relative-time.js';
import { useLoad } from '../hooks/use-load.js';
import { useTitle } from '../hooks/use-title.js';
import { Link } from '../lib/router.js';
import { scrollableRegion } from '../lib/scrollable.js';
import { useSession } from '../lib/session-context.js';

export function WidgetsScreen() {
  useTitle('Widgets');
  const { me, isAdmin } = useSession();
  const wid = me.workspace.id;
  const { result, reload } = useLoad(wid, () => api.listWidgets(wid).then((r) => r.items));

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1 className="page-title">Widgets</h1>
          <p className="page-intro">
            A widget is the chat window on one of your websites. Add its snippet to a page to start.
          </p>
        </div>
        {isAdmin && (
          <Link href="/widgets/new" className="button button-primary" data-testid="widget-new">
            New widget
          </Link>
        )}
      </div>
      <LoadStatus result={result} loading="Loading widgets…" onRetry={reload} />
      {result.state === 'ready' && result.data.length === 0 && (
        <div className="empty-state">
          <h2 className="empty-title">No widgets yet</h2>
          <p>
            {isAdmin
              ? 'Create a widget, paste its snippet into your website, and visitors can start chatting.'
              : 'An administrator of this workspace can create one.'}
          </p>
          {isAdmin && (
            <Link href="/widgets/new" className="button button-primary">
              Create your first widget
            </Link>
          )}
        </div>
      )}
      {result.state === 'ready' && result.data.length > 0 && (
        <div className="table-scroll" {...scrollableRegion('Widgets table')}>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Allowed origins</th>
                <th scope="col">Bot</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {result.data.map((w) => (
                <tr key={w.id} data-testid="widget-row" data-widget-id={w.id}>
                  <td>
                    <Link href={`/widgets/${w.id}`} className="table-link">
                      {w.name}
                    </Link>
                  </td>
                  <td className="mono origins-cell">
                    {w.allowedOrigins.slice(0, 2).join(', ')}
                    {w.allowedOrigins.length > 2 && (
                      <span className="muted"> +{w.allowedOrigins.length - 2} more</span>
                    )}
                  </td>
                  <td>{w.botName}</td>
                  <td>
                    <RelativeTime iso={w.createdAt} ago />
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
