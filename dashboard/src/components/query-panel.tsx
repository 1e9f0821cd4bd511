import { type FormEvent, useEffect, useState } from 'react';
import type { Conversation } from '../../../protocol/common.js';
import type { ServiceAgent, Team } from '../../../protocol/service.js';
import { errorMessage } from '../api.js';
import { useLoad } from '../hooks/use-load.js';
import { useSession } from '../lib/session-context.js';
import { serviceApi } from '../service-api.js';

const STATE_LABEL: Record<string, string> = {
  queued: 'Waiting in the queue',
  assigned: 'Assigned',
  waiting_on_visitor: 'Waiting on the visitor',
  resolved: 'Resolved',
  abandoned: 'Abandoned',
};

/**
 * The conversation's handoff query: take it from the queue or hand it on. Resolving is the
 * conversation's (lifecycle-actions.tsx), which resolves its query with it.
 */
export function QueryPanel({ conversation }: { conversation: Conversation }) {
  const { me } = useSession();
  const wid = me.workspace.id;
  const query = conversation.query;
  const [agents, setAgents] = useState<ServiceAgent[]>([]);
  const [teams, setTeams] = useState<Team[]>([]);
  const [target, setTarget] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const open = query && ['queued', 'assigned', 'waiting_on_visitor'].includes(query.state);
  const mine = query?.assigneeId === me.user.id;
  // Where the handoff started: the page the widget reported, copied when the query opened.
  const full = useLoad(`${wid}/${query?.id ?? ''}`, () =>
    query ? serviceApi.query(wid, query.id) : Promise.reject(new Error('no query')),
  );

  useEffect(() => {
    if (!open) return;
    void Promise.all([serviceApi.agents(wid), serviceApi.teams(wid)]).then(
      ([a, t]) => {
        setAgents(a.items.filter((x) => x.id !== me.user.id));
        setTeams(t.items);
      },
      (e: unknown) => setError(errorMessage(e)),
    );
  }, [open, wid, me.user.id]);

  if (!query) return null;
  const origin = full.result.state === 'ready' ? full.result.data.origin : null;
  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      setNote('');
      setTarget('');
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const transfer = (event: FormEvent) => {
    event.preventDefault();
    const [kind, id] = target.split(':');
    if (!id) return;
    void run(() =>
      serviceApi.transfer(wid, query.id, {
        ...(kind === 'team' ? { teamId: id } : { userId: id }),
        ...(note.trim() ? { note: note.trim() } : {}),
      }),
    );
  };
  const holder = agents.find((a) => a.id === query.assigneeId)?.name ?? (mine ? 'you' : 'someone else');

  return (
    <section className="query-panel" aria-label="Handoff" data-testid="query-panel" data-state={query.state}>
      <p className="query-state">
        <strong>{STATE_LABEL[query.state] ?? query.state}</strong>
        {query.assigneeId && open && <span className="muted"> · with {holder}</span>}
      </p>
      {origin?.pageUrl && (
        <p className="query-origin muted" data-testid="query-origin">
          Started on <span className="query-origin-url">{origin.pageUrl}</span>
          {origin.referrer && (
            <>
              {' '}
              · came from <span className="query-origin-url">{origin.referrer}</span>
            </>
          )}
        </p>
      )}
      {error && (
        <div className="inline-error" role="alert">
          {error}
        </div>
      )}
      {query.state === 'queued' && (
        <button
          type="button"
          className="button button-primary"
          disabled={busy}
          onClick={() => void run(() => serviceApi.pick(wid, query.id))}
        >
          Take this conversation
        </button>
      )}
      {open && query.state !== 'queued' && (
        <div className="query-actions">
          <form onSubmit={transfer} className="query-form">
            <label>
              Transfer to
              <select
                value={target}
                onChange={(e) => setTarget(e.target.value)}
                data-testid="transfer-target"
              >
                <option value="">Choose…</option>
                {agents.map((a) => (
                  <option key={a.id} value={`user:${a.id}`}>
                    {a.name} ({a.presence})
                  </option>
                ))}
                {teams.map((t) => (
                  <option key={t.id} value={`team:${t.id}`}>
                    Team {t.name}
                  </option>
                ))}
              </select>
            </label>
            <input
              aria-label="Note for the next person (private)"
              placeholder="Note for the next person (private)"
              maxLength={2000}
              value={note}
              onChange={(e) => setNote(e.target.value)}
            />
            <button type="submit" className="button" disabled={busy || !target}>
              Transfer
            </button>
          </form>
        </div>
      )}
    </section>
  );
}
