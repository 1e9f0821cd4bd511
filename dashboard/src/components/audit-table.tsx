import type { AuditEntry } from '../../../protocol/users-api.js';
import { scrollableRegion } from '../lib/scrollable.js';
import { fullTime } from '../lib/time.js';

const whenFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

const ACTOR_KIND: Record<string, string> = { system: 'Parley', api_token: 'API token', visitor: 'Visitor' };

function actorLabel(entry: AuditEntry): string {
  // A deleted member has no name any more; the id still ties their entries together.
  if (entry.actor.type === 'user') return entry.actor.name ?? `user ${entry.actor.id ?? ''}`.trim();
  const kind = ACTOR_KIND[entry.actor.type] ?? entry.actor.type;
  return entry.actor.id ? `${kind} ${entry.actor.id}` : kind;
}

/** Ids are long; the first block tells entries apart, the full id is in the cell's title. */
function shortId(id: string): string {
  return id.length > 12 ? `${id.slice(0, 8)}…` : id;
}

function targetLabel(entry: AuditEntry, names: ReadonlyMap<string, string>): string {
  if (!entry.target) return '—';
  if (entry.target.type === 'user') return names.get(entry.target.id) ?? `user ${shortId(entry.target.id)}`;
  return `${entry.target.type} ${shortId(entry.target.id)}`;
}

/** Details are flat scalars by contract; shown as `key: value` text, never interpreted. */
function detailsText(details: AuditEntry['details']): string {
  return Object.entries(details)
    .map(([k, v]) => `${k}: ${v === null ? '—' : String(v)}`)
    .join(', ');
}

export function AuditTable({
  entries,
  names,
}: {
  entries: readonly AuditEntry[];
  names: ReadonlyMap<string, string>;
}) {
  return (
    <div className="table-scroll" {...scrollableRegion('Audit events table')}>
      <table className="table" data-testid="audit-table">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Actor</th>
            <th scope="col">Action</th>
            <th scope="col">Target</th>
            <th scope="col">IP address</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.seq} data-testid="audit-row" data-seq={e.seq} data-action={e.action}>
              <td className="nowrap">
                <time dateTime={e.occurredAt} title={fullTime(e.occurredAt)}>
                  {whenFmt.format(Date.parse(e.occurredAt))}
                </time>
              </td>
              <td>{actorLabel(e)}</td>
              <td className="mono">{e.action}</td>
              <td title={e.target ? `${e.target.type} ${e.target.id}` : undefined}>
                {targetLabel(e, names)}
              </td>
              <td className="mono">{e.ip ?? '—'}</td>
              <td className="audit-details">{detailsText(e.details)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
