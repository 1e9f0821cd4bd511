import { useState } from 'react';
import type { ServiceReport } from '../../../protocol/service.js';
import { LabelReport } from '../components/label-report.js';
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
import { serviceApi } from '../service-api.js';

const PERIODS: { value: PeriodChoice; label: string }[] = [
  { value: '7', label: 'Last 7 days' },
  { value: '30', label: 'Last 30 days' },
  { value: '90', label: 'Last 90 days' },
  { value: 'custom', label: 'Choose dates' },
];
const today = () => new Date().toLocaleDateString('sv'); // YYYY-MM-DD in local time

function Figure({ label, value, detail, id }: { label: string; value: string; detail?: string; id: string }) {
  return (
    <div className="report-figure" data-testid={`report-${id}`}>
      <dt>{label}</dt>
      <dd>
        <span className="report-value">{value}</span>
        {detail && <span className="muted report-detail">{detail}</span>}
      </dd>
    </div>
  );
}

function Figures({ r }: { r: ServiceReport }) {
  return (
    <dl className="report-grid">
      <Figure
        id="first-response"
        label="First response (median)"
        value={formatDuration(r.medianFirstResponseSeconds)}
      />
      <Figure id="handle-time" label="Handle time (median)" value={formatDuration(r.medianHandleSeconds)} />
      <Figure
        id="resolution-rate"
        label="Resolution rate"
        value={formatRate(r.resolutionRate)}
        detail={`${r.resolved} resolved, ${r.abandoned} abandoned of ${r.queries} queries`}
      />
      <Figure
        id="containment"
        label="Bot containment"
        value={formatRate(r.botContainmentRate)}
        detail={`${r.conversations} conversations, ${r.handedOff} handed to a person`}
      />
      <Figure
        id="csat"
        label="Customer satisfaction"
        value={formatRating(r.averageRating)}
        detail={r.ratings === 1 ? '1 rating' : `${r.ratings} ratings`}
      />
    </dl>
  );
}

/** Service figures for a period: response and handle times, resolution and containment, ratings. */
export function ReportsScreen() {
  useTitle('Reports');
  const { me } = useSession();
  const wid = me.workspace.id;
  const [choice, setChoice] = useState<PeriodChoice>('30');
  const [custom, setCustom] = useState({ from: today(), to: today() });
  // Fixed when the choice changes, so a re-render does not move the window.
  const [asOf, setAsOf] = useState(() => Date.now());
  const period = periodOf(choice, custom, asOf);
  const key = period ? `${wid}:${period.from}:${period.to}` : `${wid}:invalid`;
  const { result, reload } = useLoad(key, () =>
    period ? serviceApi.report(wid, period) : Promise.resolve(null),
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
            <Figures r={result.data} />
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
