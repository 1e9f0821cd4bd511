import { useState } from 'react';
import type { Conversation } from '../../../protocol/common.js';
import type { VisitorProfile } from '../../../protocol/data-protection.js';
import type { PreviousConversation, VisitorContext } from '../../../protocol/visitor-context.js';
import { errorMessage } from '../api.js';
import { dataApi, downloadJson } from '../data-protection-api.js';
import { useLoad } from '../hooks/use-load.js';
import { Link } from '../lib/router.js';
import { useSession } from '../lib/session-context.js';
import { localDateTime } from '../lib/time.js';
import { NotesList } from './notes-list.js';

/**
 * What is known about the visitor of a conversation, the team's notes, and the visitor's rights:
 * export and erasure (administrators). The server masks names, emails and phone numbers for roles
 * without the personal-data permission; this panel shows what it gets.
 */
export function VisitorPanel({ conversation }: { conversation: Conversation }) {
  const { me } = useSession();
  const wid = me.workspace.id;
  // Loaded again with every new message: the page the visitor is on may have changed meanwhile.
  const context = useLoad(`${wid}/${conversation.id}/${conversation.lastSeq}`, () =>
    dataApi.context(wid, conversation.id),
  );
  return (
    <details className="visitor-panel" data-testid="visitor-panel">
      <summary>Visitor details and notes</summary>
      <div className="visitor-panel-body">
        {context.result.state === 'loading' && <p className="muted">Loading…</p>}
        {context.result.state === 'error' && (
          <p className="inline-error" role="alert">
            {context.result.message}
          </p>
        )}
        {context.result.state === 'ready' && (
          <>
            <PageDetails page={context.result.data.page} />
            <ProfileDetails profile={context.result.data.profile} />
            <PreviousConversations items={context.result.data.previous} />
          </>
        )}
        <NotesList conversationId={conversation.id} />
        <VisitorActions conversation={conversation} />
      </div>
    </details>
  );
}

function PageDetails({ page }: { page: VisitorContext['page'] }) {
  return (
    <dl className="details" data-testid="visitor-page">
      <dt>Page</dt>
      <dd data-testid="visitor-page-url">{page.pageUrl ?? <span className="muted">not reported</span>}</dd>
      <dt>Came from</dt>
      <dd data-testid="visitor-referrer">{page.referrer ?? <span className="muted">unknown</span>}</dd>
    </dl>
  );
}

function PreviousConversations({ items }: { items: PreviousConversation[] }) {
  if (items.length === 0) return <p className="muted">No earlier conversations.</p>;
  return (
    <div>
      <h3 className="card-subtitle">Earlier conversations</h3>
      <ul className="plain-list" data-testid="previous-conversations">
        {items.map((c, i) => {
          const label = `${localDateTime(c.createdAt)} · ${c.status}${c.queryState ? ` · ${c.queryState.replaceAll('_', ' ')}` : ''}`;
          return (
            <li key={c.id ?? `hidden-${i}`} data-testid="previous-conversation">
              {c.id !== null ? <Link href={`/inbox/${c.id}`}>{label}</Link> : <span>{label}</span>}
              {c.firstMessage !== null && <p className="muted">{c.firstMessage}</p>}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

function ProfileDetails({ profile }: { profile: VisitorProfile }) {
  const none = <span className="muted">not given</span>;
  const custom = Object.entries(profile.custom);
  return (
    <div data-testid="visitor-profile">
      {profile.masked && (
        <p className="notice" data-testid="visitor-masked">
          Personal data is masked for your role.
        </p>
      )}
      <dl className="details">
        <dt>Name</dt>
        <dd data-testid="visitor-name">{profile.name ?? none}</dd>
        <dt>Email</dt>
        <dd data-testid="visitor-email">{profile.email ?? none}</dd>
        <dt>Phone</dt>
        <dd data-testid="visitor-phone">{profile.phone ?? none}</dd>
        {custom.map(([k, v]) => (
          <div key={k} className="details-row">
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
        {profile.expiresAt && (
          <>
            <dt>Deleted on</dt>
            <dd>{localDateTime(profile.expiresAt)}</dd>
          </>
        )}
      </dl>
    </div>
  );
}

function VisitorActions({ conversation }: { conversation: Conversation }) {
  const { me, isAdmin } = useSession();
  const wid = me.workspace.id;
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (task: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await task();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const visitorId = conversation.visitor.id;
  return (
    <div className="visitor-actions">
      {error && (
        <p className="inline-error" role="alert">
          {error}
        </p>
      )}
      <div className="form-actions">
        {conversation.status === 'open' && (
          <button
            type="button"
            className="button"
            disabled={busy}
            data-testid="conversation-close"
            onClick={() => run(() => dataApi.closeConversation(wid, conversation.id))}
          >
            Close conversation
          </button>
        )}
        {isAdmin && (
          <button
            type="button"
            className="button"
            disabled={busy}
            data-testid="visitor-export"
            onClick={() =>
              run(async () =>
                downloadJson(`visitor-${visitorId}.json`, await dataApi.exportVisitor(wid, visitorId)),
              )
            }
          >
            Export data (JSON)
          </button>
        )}
        {isAdmin && !confirming && (
          <button
            type="button"
            className="button button-danger"
            disabled={busy}
            data-testid="visitor-erase"
            onClick={() => setConfirming(true)}
          >
            Erase visitor…
          </button>
        )}
      </div>
      {confirming && (
        <div className="confirm" role="alertdialog" aria-labelledby="erase-title">
          <p id="erase-title">
            Erase this visitor? Their conversations, archived ones included, their details and notes are
            deleted and their key destroyed, so copies in backups cannot be read either. This cannot be
            undone.
          </p>
          <div className="form-actions">
            <button
              type="button"
              className="button button-danger"
              disabled={busy}
              data-testid="visitor-erase-confirm"
              onClick={() =>
                run(async () => {
                  await dataApi.eraseVisitor(wid, visitorId);
                  // A fresh inbox: the erased conversation is gone from every list.
                  window.location.assign('/inbox?erased=1');
                })
              }
            >
              Erase permanently
            </button>
            <button type="button" className="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
