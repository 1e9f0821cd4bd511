import { useEffect, useState } from 'react';
import type { Widget } from '../../../protocol/api.js';
import type { Lead } from '../../../protocol/leads.js';
import { api, errorMessage } from '../api.js';
import { useTitle } from '../hooks/use-title.js';
import { type LeadFilter, leadsApi } from '../leads-api.js';
import { Link } from '../lib/router.js';
import { scrollableRegion } from '../lib/scrollable.js';
import { useSession } from '../lib/session-context.js';
import { fullTime, localDateTime } from '../lib/time.js';

const NO_FILTER: LeadFilter = { widgetId: '', from: '', to: '' };

/** Visitors who left an email in a flow: newest first, filtered by widget and day (supervisors). */
export function LeadsScreen() {
  useTitle('Leads');
  const { me, isAdmin } = useSession();
  const wid = me.workspace.id;
  const [widgets, setWidgets] = useState<Widget[]>([]);
  const [filter, setFilter] = useState<LeadFilter>(NO_FILTER);
  const [items, setItems] = useState<Lead[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api.listWidgets(wid).then(
      (r) => setWidgets(r.items),
      () => setWidgets([]),
    );
  }, [wid]);

  const load = async (cursor: string | null) => {
    setLoading(true);
    setError(null);
    try {
      const page = await leadsApi.list(wid, filter, cursor);
      setItems((current) => (cursor ? [...current, ...page.items] : page.items));
      setNext(page.nextCursor);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setLoading(false);
    }
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new filter starts from the first page
  useEffect(() => {
    void load(null);
  }, [wid, filter]);

  const widgetName = (id: string) => widgets.find((w) => w.id === id)?.name ?? id.slice(0, 8);
  return (
    <div className="page">
      <h1 className="page-title">Leads</h1>
      <p className="muted">
        Visitors who gave their email in a flow. They are deleted with the rest of the visitor's data when the
        widget's visitor data period ends, or when the visitor is erased.
      </p>
      <div className="lead-filters" data-testid="lead-filters">
        <label>
          Widget
          <select
            value={filter.widgetId}
            data-testid="lead-widget"
            onChange={(e) => setFilter({ ...filter, widgetId: e.target.value })}
          >
            <option value="">All widgets</option>
            {widgets.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          From
          <input
            type="date"
            value={filter.from}
            onChange={(e) => setFilter({ ...filter, from: e.target.value })}
          />
        </label>
        <label>
          To
          <input
            type="date"
            value={filter.to}
            onChange={(e) => setFilter({ ...filter, to: e.target.value })}
          />
        </label>
        {isAdmin && (
          <span className="lead-export">
            <a className="button button-small" href={leadsApi.exportHref(wid, filter, 'csv')} download>
              Export CSV
            </a>
            <a className="button button-small" href={leadsApi.exportHref(wid, filter, 'json')} download>
              Export JSON
            </a>
          </span>
        )}
      </div>
      {error && (
        <div className="inline-error" role="alert">
          <span>{error}</span>
        </div>
      )}
      {!loading && !error && items.length === 0 && <p>No leads yet.</p>}
      {items.length > 0 && (
        <div className="table-scroll" {...scrollableRegion('Leads table')}>
          <table className="table" data-testid="lead-list">
            <thead>
              <tr>
                <th scope="col">Collected</th>
                <th scope="col">Email</th>
                <th scope="col">Name</th>
                <th scope="col">Source</th>
                <th scope="col">Consent</th>
                <th scope="col">Widget</th>
                <th scope="col">Conversation</th>
              </tr>
            </thead>
            <tbody>
              {items.map((l) => (
                <tr key={l.visitorId} data-testid="lead-item">
                  <td>
                    <time dateTime={l.collectedAt} title={fullTime(l.collectedAt)}>
                      {localDateTime(l.collectedAt)}
                    </time>
                  </td>
                  <td>{l.email}</td>
                  <td>{l.name ?? '—'}</td>
                  <td title={l.source ?? undefined}>{l.sourceLabel ?? l.source ?? '—'}</td>
                  <td>{l.consent ?? '—'}</td>
                  <td>{widgetName(l.widgetId)}</td>
                  <td>
                    {l.conversationId ? (
                      <Link href={`/inbox/${l.conversationId}`} className="mono">
                        {l.conversationId.slice(0, 8)}
                      </Link>
                    ) : (
                      '—'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {loading && <p className="muted">Loading…</p>}
      {next && !loading && (
        <button type="button" className="button" onClick={() => void load(next)}>
          Load more
        </button>
      )}
    </div>
  );
}
