/**
 * One figure of a report: its name, its value (with a line of detail) and, when given, the same
 * figure for the previous period. Its test id is `report-<id>`, `report-<id>-previous` for the latter.
 */
export function ReportFigure({
  label,
  value,
  detail,
  id,
  before,
}: {
  label: string;
  value: string;
  detail?: string;
  id: string;
  before?: string;
}) {
  return (
    <div className="report-figure" data-testid={`report-${id}`}>
      <dt>{label}</dt>
      <dd>
        <span className="report-value">{value}</span>
        {detail && <span className="muted report-detail">{detail}</span>}
        {before !== undefined && (
          <span className="muted report-comparison" data-testid={`report-${id}-previous`}>
            Previous period: {before}
          </span>
        )}
      </dd>
    </div>
  );
}
