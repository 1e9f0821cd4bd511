import { LoadStatus } from '../components/load-status.js';
import { RelativeTime } from '../components/relative-time.js';
import { useLoad } from '../hooks/use-load.js';
import { useTitle } from '../hooks/use-title.js';
import { useSession } from '../lib/session-context.js';
import { teamApi } from '../team-api.js';

/**
 * Mail Parley would have sent (invitations, password resets) when no mail server is configured.
 * Bodies are plain text and are shown as text. The server hides the link of a password reset meant
 * for someone else; the host operator can print it with `parley outbox`.
 */
export function OutboxScreen() {
  useTitle('Outbox');
  const { me } = useSession();
  const wid = me.workspace.id;
  const { result, reload } = useLoad(`outbox:${wid}`, () => teamApi.listOutbox(wid));

  return (
    <div className="page page-narrow">
      <div className="page-header">
        <div>
          <h1 className="page-title">Outbox</h1>
          <p className="page-intro">
            Without a mail server (<code>PARLEY_SMTP_URL</code>), Parley keeps invitations and password reset
            mail here so you can pass the links on. Each message is deleted when its link expires. A password
            reset link is shown only to the person it resets: on the server, <code>parley outbox</code> prints
            it for passing on.
          </p>
        </div>
        <button type="button" className="button" onClick={reload}>
          Refresh
        </button>
      </div>
      <LoadStatus result={result} loading="Loading the outbox…" onRetry={reload} />
      {result.state === 'ready' && result.data.mode === 'smtp' && (
        <div className="notice" role="status" data-testid="outbox-smtp">
          A mail server is configured: new mail is delivered by it and does not appear here.
        </div>
      )}
      {result.state === 'ready' && result.data.items.length === 0 && (
        <div className="empty-state">
          <h2 className="empty-title">The outbox is empty</h2>
          <p>Invitations and password reset mail will appear here until their links expire.</p>
        </div>
      )}
      {result.state === 'ready' &&
        result.data.items.map((mail) => (
          <article
            key={mail.id}
            className="card mail"
            data-testid="outbox-mail"
            data-to={mail.to}
            data-link-hidden={mail.linkHidden}
          >
            <header className="mail-header">
              <h2 className="card-title">{mail.subject}</h2>
              <RelativeTime iso={mail.createdAt} ago className="muted" />
            </header>
            <p className="muted">To: {mail.to}</p>
            <pre className="mail-body">{mail.body}</pre>
          </article>
        ))}
    </div>
  );
}
