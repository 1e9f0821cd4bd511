import { type Static, Type } from '@sinclair/typebox';
import { IsoTime, QueryTime } from './common.js';
import { Closed } from './responses.js';
import { ServiceReport } from './service.js';

/** Reports over time: bounded so one request never asks for an unbounded computation. */
export const REPORT_LIMITS = {
  /** Buckets in one series (≈ 16 days of hours, 13 months of days, 7 years of weeks). */
  maxBuckets: 400,
  /** The longest period one report covers, in days. */
  maxRangeDays: 732,
} as const;

/**
 * The viewer's time zone: an IANA name (`Europe/Berlin`) or a UTC offset (`+02:00`, `-05:30`).
 * The server checks the name against its time-zone database.
 */
export const ReportTimeZone = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^([A-Za-z][A-Za-z0-9_+\\-]*(/[A-Za-z0-9_+\\-]+){0,2}|[+\\-]([01][0-9]|2[0-3]):[0-5][0-9])$',
});

export const ReportBucket = Type.Union([Type.Literal('hour'), Type.Literal('day'), Type.Literal('week')]);
export type ReportBucket = Static<typeof ReportBucket>;

export const SeriesQuery = Type.Object(
  {
    from: Type.Optional(QueryTime),
    to: Type.Optional(QueryTime),
    bucket: Type.Optional(ReportBucket),
    tz: Type.Optional(ReportTimeZone),
  },
  { additionalProperties: false },
);
export type SeriesQuery = Static<typeof SeriesQuery>;

const Rate = Type.Union([Type.Number(), Type.Null()]);
const Seconds = Type.Union([Type.Number(), Type.Null()]);

/** One bucket of the series: conversations and queries that started in it. */
export const SeriesPoint = Closed({
  /** The bucket in the viewer's time zone: `2026-12-01T13:00` (hour), `2026-12-01` (day, week: its Monday). */
  key: Type.String({ maxLength: 20 }),
  /** The first instant of the bucket inside the period. */
  start: IsoTime,
  conversations: Type.Integer(),
  handedOff: Type.Integer(),
  botContainmentRate: Rate,
  queries: Type.Integer(),
  resolved: Type.Integer(),
  medianFirstResponseSeconds: Seconds,
  medianHandleSeconds: Seconds,
  averageRating: Rate,
  ratings: Type.Integer(),
});
export type SeriesPoint = Static<typeof SeriesPoint>;

/** The figures of one group (an agent, a team, a widget, a channel, a label). */
export const GroupFigures = Closed({
  id: Type.String({ maxLength: 64 }),
  /** An agent's or team's, widget's, label's name: workspace data, never a visitor's. */
  name: Type.String({ maxLength: 200 }),
  conversations: Type.Integer(),
  queries: Type.Integer(),
  resolved: Type.Integer(),
  abandoned: Type.Integer(),
  medianFirstResponseSeconds: Seconds,
  medianHandleSeconds: Seconds,
  averageRating: Rate,
  ratings: Type.Integer(),
});
export type GroupFigures = Static<typeof GroupFigures>;

export const ServiceSeries = Closed({
  from: IsoTime,
  to: IsoTime,
  bucket: ReportBucket,
  tz: Type.String({ maxLength: 64 }),
  summary: ServiceReport,
  /** The period of equal length just before, for comparison. */
  previous: Closed({ from: IsoTime, to: IsoTime, report: ServiceReport }),
  series: Type.Array(SeriesPoint),
  /** Conversations started per hour of the week in the viewer's time zone: [Monday…Sunday][0…23]. */
  busiestHours: Type.Array(Type.Array(Type.Integer(), { minItems: 24, maxItems: 24 }), {
    minItems: 7,
    maxItems: 7,
  }),
  breakdowns: Closed({
    /** Queries by their assignee (unassigned queries are left out). */
    agents: Type.Array(GroupFigures),
    /** Queries by the team they queued for. */
    teams: Type.Array(GroupFigures),
    widgets: Type.Array(GroupFigures),
    /** Parley has one channel today: the web widget. */
    channels: Type.Array(GroupFigures),
    /** Conversations by label (one with two labels counts in both). */
    labels: Type.Array(GroupFigures),
  }),
});
export type ServiceSeries = Static<typeof ServiceSeries>;
