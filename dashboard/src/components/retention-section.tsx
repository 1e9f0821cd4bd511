import type { RetentionSettings } from '../../../protocol/data-protection.js';
import { dataApi } from '../data-protection-api.js';
import { useLoad } from '../hooks/use-load.js';
import { scrollableRegion } from '../lib/scrollable.js';
import { useSession } from '../lib/session-context.js';
import { RelativeTime } from './relative-time.js';
import { RetentionForm } from './retention-form.js';

function describe(r: RetentionSettings): string[] {
  return [
    r.visitorDataTtlSeconds === null
      ? 'Visitor data is kept.'
      : `Visitor data (and the verified user id) is deleted ${r.visitorDataTtlSeconds} seconds after it is given.`,
    r.historyHours === null
      ? 'Messages are kept.'
      : `Messages, notes, pages and handoff notes older than ${r.historyHours} hours are deleted.`,
    `Conversations without a message for ${r.inactivityDays} days are ${r.archiveInactive ? 'archived' : 'deleted'}.`,
    r.storageOff
      ? 'Closed conversations keep no content, and visitor data goes once none is open.'
      : 'Closed conversations keep their content.',
  ];
}

/** The widget's data retention: the rules (editable by administrators) and the latest runs. */
export function RetentionSection({ widgetId }: { widgetId: string }) {
  const { me, isAdmin } = useSession();
  const wid = me.workspace.id;
  const settings = useLoad(`${wid}/${widgetId}/retention`, () => dataApi.getRetention(wid, widgetId));
  return (
    <section className="card" aria-labelledby="retention-title">
      <h2 id="retention-title" className="card-title">
        Data retention
      </h2>
      {settings.result.state === 'loading' && <p className="muted">Loading…</p>}
      {settings.result.state === 'error' && (
        <div className="inline-error" role="alert">
          {settings.result.message}
        </div>
      )}
      {settings.result.state === 'ready' &&
        (isAdmin ? (
          <RetentionForm
            initial={settings.result.data}
            onSave={async (body) => settings.set(await dataApi.saveRetention(wid, widgetId, body))}
          />
        ) : (
          <ul className="plain-list">
            {describe(settings.result.data).map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        ))}
      {isAdmin && <RetentionRuns />}
    </section>
  );
}

function RetentionRuns() {
  const { me } = useSession();
  const runs = useLoad(`${me.workspace.id}/runs`, () => dataApi.listRetentionRuns(me.workspace.id));
  if (runs.result.state !== 'ready') return null;
  const { lastRunAt, items } = runs.result.data;
  return (
    <div className="retention-runs" data-testid="retention-runs">
      <h3 className="card-subtitle">Recent runs</h3>
      <p className="muted">
        {lastRunAt ? (
          <>
            The scheduler last ran <RelativeTime iso={lastRunAt} ago />.
          </>
        ) : (
          'The scheduler has not run yet.'
        )}{' '}
        Runs that changed nothing in this workspace are not listed.
      </p>
      {items.length > 0 && (
        <div className="table-scroll" {...scrollableRegion('Retention runs table')}>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Visitor data</th>
                <th scope="col">Messages</th>
                <th scope="col">Notes</th>
                <th scope="col">Fields cleared</th>
                <th scope="col">Archived</th>
                <th scope="col">Deleted</th>
                <th scope="col">Archives pruned</th>
                <th scope="col">Closed purged</th>
              </tr>
            </thead>
            <tbody>
              {items.map((r) => (
                <tr key={r.id} title={r.error ?? undefined}>
                  <td>
                    <RelativeTime iso={r.startedAt} ago />
                    {r.error && <span className="status-badge status-closed"> failed</span>}
                  </td>
                  <td>{r.counts.visitorDataDeleted}</td>
                  <td>{r.counts.messagesDeleted}</td>
                  <td>{r.counts.notesDeleted}</td>
                  <td>{r.counts.fieldsCleared}</td>
                  <td>{r.counts.conversationsArchived}</td>
                  <td>{r.counts.conversationsDeleted}</td>
                  <td>{r.counts.archivesPruned}</td>
                  <td>{r.counts.closedConversationsPurged}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
