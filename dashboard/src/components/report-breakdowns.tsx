import type { GroupFigures, ServiceSeries } from '../../../protocol/reports.js';
import { formatDuration, formatRating } from '../lib/report-format.js';
import { scrollableRegion } from '../lib/scrollable.js';

const SECTIONS: { key: keyof ServiceSeries['breakdowns']; title: string; note?: string }[] = [
  { key: 'agents', title: 'By agent', note: 'Queries by the agent they were assigned to.' },
  { key: 'teams', title: 'By team', note: 'Queries by the team they queued for.' },
  { key: 'widgets', title: 'By widget' },
  { key: 'channels', title: 'By channel', note: 'The web widget is the only channel today.' },
];

function Table({ title, rows, testId }: { title: string; rows: GroupFigures[]; testId: string }) {
  return (
    <div className="table-scroll" {...scrollableRegion(`${title} table`)}>
      <table className="table" data-testid={testId}>
        <caption className="visually-hidden">{title}</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Conversations</th>
            <th scope="col">Queries</th>
            <th scope="col">Resolved</th>
            <th scope="col">First response</th>
            <th scope="col">Handle time</th>
            <th scope="col">Satisfaction</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((g) => (
            <tr key={g.id}>
              <th scope="row">{g.name}</th>
              <td>{g.conversations}</td>
              <td>{g.queries}</td>
              <td>{g.resolved}</td>
              <td>{formatDuration(g.medianFirstResponseSeconds)}</td>
              <td>{formatDuration(g.medianHandleSeconds)}</td>
              <td>
                {formatRating(g.averageRating)}
                {g.ratings ? <span className="muted"> ({g.ratings})</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The period's figures per agent, team, widget and channel (per label: `label-report.tsx`). */
export function ReportBreakdowns({ data }: { data: ServiceSeries }) {
  return (
    <div className="report-breakdowns">
      {SECTIONS.map(({ key, title, note }) => (
        <section key={key} className="card" aria-labelledby={`breakdown-${key}`}>
          <h2 className="card-title" id={`breakdown-${key}`}>
            {title}
          </h2>
          {note && <p className="muted">{note}</p>}
          {data.breakdowns[key].length === 0 ? (
            <p className="muted">Nothing in this period.</p>
          ) : (
            <Table title={title} rows={data.breakdowns[key]} testId={`breakdown-${key}`} />
          )}
        </section>
      ))}
    </div>
  );
}
