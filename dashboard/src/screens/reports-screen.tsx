import { useState } from 'react';
import type { ServiceSeries } from '../../../protocol/reports.js';
import type { ServiceReport } from '../../../protocol/service.js';
import { CallReport } from '../components/call-report.js';
import { LabelReport } from '../components/label-report.js';
import { ReportBreakdowns } from '../components/report-breakdowns.js';
import { BusiestHours, LineChart } from '../components/report-charts.js';
import { ReportFigure } from '../components/report-figure.js';
import { useLoad } from '../hooks/use-load.js';
import { useTitle } from '../hooks/use-title.js';
import {
  formatDuration,
  formatRate,
  formatRating,
  type PeriodChoice,
  periodOf,
} from '../lib/report-format.js';
import { useSession } from '../lib/session-context.js';
import { bucketFor, reportsApi, viewerTimeZone } from '../reports-api.js';

const PERIODS: { value: PeriodChoice; label: string }[] = [
  { value: '7', label: 'Last 7 days' },
  { value: '30', label: 'Last 30 days' },
  { value: '90', label: 'Last 90 days' },
  { value: 'custom', label: 'Choose dates' },
];
const today = () => new Date().toLocaleDateString('sv'); // YYYY-MM-DD in local time

function Figures({ r, p }: { r: ServiceReport; p: ServiceReport }) {
  return (
    <dl className="report-grid">
      <ReportFigure
        id="first-response"
        label="First response (median)"
        value={formatDuration(r.medianFirstResponseSeconds)}
        before={formatDuration(p.medianFirstResponseSeconds)}
      />
      <ReportFigure
        id="handle-time"
        label="Handle time (median)"
        value={formatDuration(r.medianHandleSeconds)}
        before={formatDuration(p.medianHandleSeconds)}
      />
      <ReportFigure
        id="resolution-rate"
        label="Resolution rate"
        value={formatRate(r.resolutionRate)}
        detail={`${r.resolved} resolved, ${r.abandoned} abandoned of ${r.queries} queries`}
        before={formatRate(p.resolutionRate)}
      />
      <ReportFigure
        id="containment"
        label="Bot containment"
        value={formatRate(r.botContainmentRate)}
        detail={`${r.conversations} conversations, ${r.handedOff} handed to a person`}
        before={`${formatRate(p.botContainmentRate)}, ${p.conversations} conversations`}
      />
      <ReportFigure
        id="csat"
        label="Customer satisfaction"
        value={formatRating(r.averageRating)}
        detail={r.ratings === 1 ? '1 rating' : `${r.ratings} ratings`}
        before={formatRating(p.averageRating)}
      />
    </dl>
  );
}

/** "7 days", "36 hours": the length of the period the comparison uses. */
function periodLength(s: ServiceSeries): string {
  const hours = Math.round((Date.parse(s.to) - Date.parse(s.from)) / 3_600_000);
  return hours % 24 === 0 ? `${hours / 24} days` : `${hours} hours`;
}

const count = (v: number | null) => (v === null ? '—' : String(Math.round(v * 10) / 10));

/** The figures over time: volumes, times, satisfaction and containment, and the busiest hours. */
function Charts({ data }: { data: ServiceSeries }) {
  const keys = data.series.map((p) => p.key);
  const of = (pick: (p: ServiceSeries['series'][number]) => number | null) => data.series.map(pick);
  return (
    <div className="report-charts">
      <LineChart
        testId="chart-volume"
        title="Conversations and handoffs"
        keys={keys}
        format={count}
        lines={[
          { name: 'Conversations', tone: 1, values: of((p) => p.conversations) },
          { name: 'Handed to a person', tone: 2, values: of((p) => p.handedOff) },
        ]}
      />
      <LineChart
        testId="chart-times"
        title="First response and handle time (median)"
        keys={keys}
        format={formatDuration}
        lines={[
          { name: 'First response', tone: 1, values: of((p) => p.medianFirstResponseSeconds) },
          { name: 'Handle time', tone: 2, values: of((p) => p.medianHandleSeconds) },
        ]}
      />
      <LineChart
        testId="chart-csat"
        title="Customer satisfaction (average rating)"
        keys={keys}
        format={formatRating}
        lines={[{ name: 'Average rating', tone: 3, values: of((p) => p.averageRating) }]}
      />
      <LineChart
        testId="chart-containment"
        title="Bot containment"
        keys={keys}
        format={formatRate}
        lines={[{ name: 'Contained by the bot', tone: 1, values: of((p) => p.botContainmentRate) }]}
      />
      <BusiestHours data={data} />
    </div>
  );
}

/** Service figures for a period: response and handle times, resolution and containment, ratings, calls. */
export function ReportsScreen() {
  useTitle('Reports');
  const { me } = useSession();
  const wid = me.workspace.id;
  const [choice, setChoice] = useState<PeriodChoice>('30');
  const [custom, setCustom] = useState({ from: today(), to: today() });
  // Fixed when the choice changes, so a re-render does not move the window.
  const [asOf, setAsOf] = useState(() => Date.now());
  const period = periodOf(choice, custom, asOf);
  const [tz] = useState(viewerTimeZone);
  const query = period ? { ...period, bucket: bucketFor(period), tz } : null;
  const key = query ? `${wid}:${query.from}:${query.to}:${query.bucket}:${tz}` : `${wid}:invalid`;
  const { result, reload } = useLoad(key, () =>
    query ? reportsApi.series(wid, query) : Promise.resolve(null),
  );

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1 className="page-title">Reports</h1>
          <p className="page-intro">
            Conversations and queries that started in the period. Times are medians; ratings are what visitors
            gave after a resolution.
          </p>
        </div>
      </div>
      <div className="card report-period">
        <label className="field-label" htmlFor="report-period">
          Period
        </label>
        <select
          id="report-period"
          className="input select"
          value={choice}
          onChange={(e) => {
            setChoice(e.target.value as PeriodChoice);
            setAsOf(Date.now());
          }}
          data-testid="report-period"
        >
          {PERIODS.map((p) => (
            <option key={p.value} value={p.value}>
              {p.label}
            </option>
          ))}
        </select>
        {choice === 'custom' && (
          <>
            <label className="field-label" htmlFor="report-from">
              From
            </label>
            <input
              id="report-from"
              type="date"
              className="input"
              value={custom.from}
              max={custom.to}
              onChange={(e) => setCustom({ ...custom, from: e.target.value })}
            />
            <label className="field-label" htmlFor="report-to">
              To (inclusive)
            </label>
            <input
              id="report-to"
              type="date"
              className="input"
              value={custom.to}
              min={custom.from}
              onChange={(e) => setCustom({ ...custom, to: e.target.value })}
            />
          </>
        )}
        {query && (
          <a
            className="button button-small"
            href={reportsApi.csvHref(wid, query)}
            download
            data-testid="report-csv"
          >
            Download CSV
          </a>
        )}
        <button
          type="button"
          className="button button-small"
          onClick={() => {
            setAsOf(Date.now());
            reload();
          }}
        >
          Refresh
        </button>
      </div>
      {result.state === 'loading' && (
        <p className="muted" role="status">
          Computing the report…
        </p>
      )}
      {result.state === 'error' && (
        <p className="form-error" role="alert">
          {result.message}
        </p>
      )}
      {result.state === 'ready' &&
        (result.data ? (
          <>
            <p className="muted report-comparison" data-testid="report-previous-period">
              Compared with the previous {periodLength(result.data)}:{' '}
              {result.data.previous.report.conversations} conversations then,{' '}
              {result.data.summary.conversations} now.
            </p>
            <Figures r={result.data.summary} p={result.data.previous.report} />
            <CallReport r={result.data.summary} p={result.data.previous.report} />
            <Charts data={result.data} />
            <ReportBreakdowns data={result.data} />
            {period && <LabelReport workspaceId={wid} period={period} />}
          </>
        ) : (
          <p className="form-error" role="alert">
            Choose a last day on or after the first.
          </p>
        ))}
    </div>
  );
}
