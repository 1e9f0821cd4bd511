import { type Static, Type } from '@sinclair/typebox';
import { Id, IsoTime, QueryTime } from './common.js';
import { Closed } from './responses.js';

/** Leads: visitors who gave an email (flows record them, with `lead.*` fields in the profile). */
export const LEAD_LIMITS = {
  maxPage: 100,
  defaultPage: 50,
  /** Rows in one export; narrow the dates for more. */
  maxExport: 5000,
} as const;

/** Paging is by `cursor`: the `nextCursor` of the previous page. */
const Cursor = Type.String({ maxLength: 80, pattern: '^[0-9T:.Z-]{20,30}~[0-9a-f-]{36}$' });

export const LeadListQuery = Type.Object(
  {
    widgetId: Type.Optional(Id),
    /** Leads whose data was first collected at or after `from` and before `to`. */
    from: Type.Optional(QueryTime),
    to: Type.Optional(QueryTime),
    cursor: Type.Optional(Cursor),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: LEAD_LIMITS.maxPage })),
  },
  { additionalProperties: false },
);
export type LeadListQuery = Static<typeof LeadListQuery>;

export const LeadExportQuery = Type.Object(
  {
    format: Type.Union([Type.Literal('csv'), Type.Literal('json')]),
    widgetId: Type.Optional(Id),
    from: Type.Optional(QueryTime),
    to: Type.Optional(QueryTime),
  },
  { additionalProperties: false },
);
export type LeadExportQuery = Static<typeof LeadExportQuery>;

export const Lead = Closed({
  visitorId: Id,
  widgetId: Id,
  email: Type.String(),
  name: Type.Union([Type.String(), Type.Null()]),
  phone: Type.Union([Type.String(), Type.Null()]),
  /** Where the email was asked for (`lead.source`: the flow), when the flow recorded it. */
  source: Type.Union([Type.String(), Type.Null()]),
  /** The source as a person reads it: a flow's name for `flow:<id>` ("a deleted flow" once it is gone). */
  sourceLabel: Type.Union([Type.String(), Type.Null()]),
  consent: Type.Union([Type.Literal('granted'), Type.Literal('declined'), Type.Null()]),
  collectedAt: IsoTime,
  /** The visitor's latest conversation, to open it from the list (if the viewer may). */
  conversationId: Type.Union([Id, Type.Null()]),
  masked: Type.Boolean(),
});
export type Lead = Static<typeof Lead>;

export const LeadPage = Closed({
  items: Type.Array(Lead),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});
export type LeadPage = Static<typeof LeadPage>;
