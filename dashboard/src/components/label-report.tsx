import { useLoad } from '../hooks/use-load.js';
import { labelsApi } from '../labels-api.js';
import { formatDuration, formatRate, formatRating } from '../lib/report-format.js';
import { scrollableRegion } from '../lib/scrollable.js';
import { LabelChip } from './label-chip.js';

/** The same figures per label: the conversations carrying each label (one with two counts in both). */
export function LabelReport({
  workspaceId,
  period,
}: {
  workspaceId: string;
  period: { from: string; to: string };
}) {
  const { result } = useLoad(`labels:${workspaceId}:${period.from}:${period.to}`, () =>
    labelsApi.report(workspaceId, period),
  );
  if (result.state !== 'ready' || result.data.groups.length === 0) return null;
  return (
    <section className="card" aria-labelledby="label-report-title" data-testid="label-report">
      <h2 className="card-title" id="label-report-title">
        By label
      </h2>
      <div className="table-scroll" {...scrollableRegion('By label table')}>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Label</th>
              <th scope="col">Conversations</th>
              <th scope="col">First response</th>
              <th scope="col">Handle time</th>
              <th scope="col">Resolution rate</th>
              <th scope="col">Satisfaction</th>
            </tr>
          </thead>
          <tbody>
            {result.data.groups.map(({ label, report: r }) => (
              <tr key={label.id}>
                <th scope="row">
                  <LabelChip label={label} />
                </th>
                <td>{r.conversations}</td>
                <td>{formatDuration(r.medianFirstResponseSeconds)}</td>
                <td>{formatDuration(r.medianHandleSeconds)}</td>
                <td>{formatRate(r.resolutionRate)}</td>
                <td>{formatRating(r.averageRating)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
