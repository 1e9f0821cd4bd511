import type { CallFigures, ServiceReport } from '../../../protocol/service.js';
import { formatDuration, formatRate } from '../lib/report-format.js';
import { ReportFigure } from './report-figure.js';

const NONE: CallFigures = { offered: 0, answered: 0, declined: 0, missed: 0, talkSeconds: 0 };
const share = (part: number, whole: number) => formatRate(whole > 0 ? part / whole : null);

/**
 * Voice and video calls offered in the period and how they went, beside the previous period. The
 * report leaves calls out of a period without any, so a workspace that never turned calls on sees
 * nothing of them here.
 */
export function CallReport({ r, p }: { r: ServiceReport; p: ServiceReport }) {
  if (!r.calls && !p.calls) return null;
  const now = r.calls ?? NONE;
  const then = p.calls ?? NONE;
  return (
    <section className="card report-calls" aria-labelledby="call-report-title" data-testid="report-calls">
      <h2 className="card-title" id="call-report-title">
        Calls
      </h2>
      <dl className="report-grid">
        <ReportFigure
          id="calls-offered"
          label="Offered"
          value={String(now.offered)}
          before={String(then.offered)}
        />
        <ReportFigure
          id="calls-answered"
          label="Answered"
          value={String(now.answered)}
          detail={`${share(now.answered, now.offered)} of offered calls`}
          before={String(then.answered)}
        />
        <ReportFigure
          id="calls-declined"
          label="Declined"
          value={String(now.declined)}
          before={String(then.declined)}
        />
        <ReportFigure
          id="calls-missed"
          label="Missed"
          value={String(now.missed)}
          detail="Not answered in time, withdrawn, or the agent left"
          before={String(then.missed)}
        />
        <ReportFigure
          id="calls-talk-time"
          label="Talk time"
          value={formatDuration(now.talkSeconds)}
          detail="In answered calls that have ended"
          before={formatDuration(then.talkSeconds)}
        />
      </dl>
    </section>
  );
}
