import { useState } from 'react';
import type { AuditEntry } from '../../../protocol/users-api.js';
import { errorMessage } from '../api.js';
import { AuditFilters } from '../components/audit-filters.js';
import { AuditTable } from '../components/audit-table.js';
import { LoadStatus } from '../components/load-status.js';
import { useLoad } from '../hooks/use-load.js';
import { useTitle } from '../hooks/use-title.js';
import { type AuditFilter, EMPTY_FILTER, toAuditQuery } from '../lib/audit-filter.js';
import { useSession } from '../lib/session-context.js';
import { teamApi } from '../team-api.js';

interface Page {
  entries: AuditEntry[];
  nextBeforeSeq: number | null;
}

/** The audit log, newest first; filters re-query, "Load older" continues below the last entry. */
export function AuditScreen() {
  useTitle('Audit log');
  const { me } = useSession();
  const wid = me.workspace.id;
  const [filter, setFilter] = useState<AuditFilter>(EMPTY_FILTER);
  const [older, setOlder] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  const members = useLoad(`members:${wid}`, () => teamApi.listMembers(wid).then((r) => r.items));
  const log = useLoad<Page>(`${wid}:${JSON.stringify(filter)}`, () =>
    teamApi
      .listAudit(wid, toAuditQuery(filter))
      .then((r) => ({ entries: r.items, nextBeforeSeq: r.nextBeforeSeq })),
  );
  const memberList = members.result.state === 'ready' ? members.result.data : [];
  const names = new Map(memberList.map((m) => [m.id, m.name]));

  const loadOlder = async (page: Page) => {
    if (page.nextBeforeSeq === null) return;
    setOlder({ busy: true, error: null });
    try {
      const r = await teamApi.listAudit(wid, toAuditQuery(filter, page.nextBeforeSeq));
      log.set({ entries: [...page.entries, ...r.items], nextBeforeSeq: r.nextBeforeSeq });
      setOlder({ busy: false, error: null });
    } catch (e) {
      setOlder({ busy: false, error: errorMessage(e) });
    }
  };

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1 className="page-title">Audit log</h1>
          <p className="page-intro">
            Every security-relevant change in this workspace, newest first. Entries cannot be edited or
            removed; <code>parley audit verify</code> checks that none was.
          </p>
        </div>
      </div>
      <AuditFilters members={memberList} onApply={setFilter} />
      <LoadStatus result={log.result} loading="Loading the audit log…" onRetry={log.reload} />
      {log.result.state === 'ready' && log.result.data.entries.length === 0 && (
        <div className="empty-state">
          <h2 className="empty-title">No entries</h2>
          <p>Nothing in the audit log matches these filters.</p>
        </div>
      )}
      {log.result.state === 'ready' && log.result.data.entries.length > 0 && (
        <>
          <AuditTable entries={log.result.data.entries} names={names} />
          {older.error && (
            <div className="form-error" role="alert">
              {older.error}
            </div>
          )}
          <div className="list-footer">
            {log.result.data.nextBeforeSeq !== null ? (
              <button
                type="button"
                className="button"
                disabled={older.busy}
                onClick={() => log.result.state === 'ready' && loadOlder(log.result.data)}
                data-testid="audit-older"
              >
                {older.busy ? 'Loading…' : 'Load older'}
              </button>
            ) : (
              <p className="muted">No older entries.</p>
            )}
          </div>
        </>
      )}
    </div>
  );
}
