import type { GroupFigures, ReportBucket, SeriesPoint, ServiceSeries } from '../../../protocol/reports.js';
import type { Executor } from '../../platform/db/schema.js';
import { listTeams } from '../handoff/lookups.js';
import { listLabelledConversationIds, listLabels } from '../labels/lookups.js';
import { listMembers } from '../users/lookups.js';
import { listWidgetsInWorkspace } from '../widgets/lookups.js';
import { bucketKey, bucketsOf, checkPeriod, localClock } from './buckets.js';
import { computeReport } from './compute-report.js';

interface ConversationRow {
  id: string;
  widget_id: string;
  created_at: string;
  engaged: unknown;
  handed_off: unknown;
}
interface QueryRow {
  conversation_id: string;
  widget_id: string;
  team_id: string | null;
  assignee_id: string | null;
  state: string;
  created_at: string;
  first_assigned_at: string | null;
  first_response_at: string | null;
  closed_at: string | null;
  rating: number | null;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
const seconds = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 1000;
const ratio = (part: number, whole: number) => (whole === 0 ? null : part / whole);

/** The query figures every view shares: same definitions as `computeReport`. */
function queryFigures(queries: readonly QueryRow[]) {
  const resolved = queries.filter((q) => q.state === 'resolved');
  const ratings = queries.map((q) => q.rating).filter((r): r is number => r !== null);
  return {
    queries: queries.length,
    resolved: resolved.length,
    abandoned: queries.filter((q) => q.state === 'abandoned').length,
    medianFirstResponseSeconds: median(
      queries
        .filter((q) => q.first_response_at)
        .map((q) => seconds(q.created_at, q.first_response_at as string)),
    ),
    medianHandleSeconds: median(
      resolved
        .filter((q) => q.first_assigned_at && q.closed_at)
        .map((q) => seconds(q.first_assigned_at as string, q.closed_at as string)),
    ),
    averageRating: ratings.length ? ratings.reduce((a, b) => a + Number(b), 0) / ratings.length : null,
    ratings: ratings.length,
  };
}

function group(id: string, name: string, conversations: number, queries: readonly QueryRow[]): GroupFigures {
  return { id, name, conversations, ...queryFigures(queries) };
}

function groupBy<T>(rows: readonly T[], key: (row: T) => string | null): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    if (k === null) continue;
    const list = out.get(k);
    if (list) list.push(row);
    else out.set(k, [row]);
  }
  return out;
}
const distinctConversations = (queries: readonly QueryRow[]) =>
  new Set(queries.map((q) => q.conversation_id)).size;

/**
 * The service report over time for conversations and queries created in [from, to): the summary
 * and the previous period of equal length, one point per bucket in the viewer's time zone, the
 * busiest hours of the week, and the figures per agent, team, widget, channel and label. Only counts,
 * times and workspace names leave here: nothing about a visitor.
 */
export async function computeSeries(o: {
  db: Executor;
  workspaceId: string;
  from: string;
  to: string;
  bucket: ReportBucket;
  tz: string;
}): Promise<ServiceSeries> {
  const { db, workspaceId, from, to, bucket, tz } = o;
  checkPeriod(from, to, bucket);
  const clock = localClock(tz);
  const previousFrom = new Date(2 * Date.parse(from) - Date.parse(to)).toISOString();

  const conversations: ConversationRow[] = await db
    .selectFrom('conversations')
    .select((eb) => [
      'conversations.id',
      'conversations.widget_id',
      'conversations.created_at',
      eb
        .exists(
          eb
            .selectFrom('messages')
            .select('messages.id')
            .whereRef('messages.conversation_id', '=', 'conversations.id')
            .where('messages.author_kind', '=', 'visitor'),
        )
        .as('engaged'),
      eb
        .exists(
          eb
            .selectFrom('queries')
            .select('queries.id')
            .whereRef('queries.conversation_id', '=', 'conversations.id'),
        )
        .as('handed_off'),
    ])
    .where('workspace_id', '=', workspaceId)
    .where('created_at', '>=', from)
    .where('created_at', '<', to)
    .execute();
  const queries: QueryRow[] = await db
    .selectFrom('queries')
    .select([
      'conversation_id',
      'widget_id',
      'team_id',
      'assignee_id',
      'state',
      'created_at',
      'first_assigned_at',
      'first_response_at',
      'closed_at',
      'rating',
    ])
    .where('workspace_id', '=', workspaceId)
    .where('created_at', '>=', from)
    .where('created_at', '<', to)
    .execute();

  // The series: every bucket of the period, empty ones included, so a chart's x axis is honest.
  const keyOf = (iso: string) => bucketKey(clock(Date.parse(iso)), bucket);
  const convByKey = groupBy(conversations, (c) => keyOf(c.created_at));
  const queriesByKey = groupBy(queries, (q) => keyOf(q.created_at));
  const series: SeriesPoint[] = bucketsOf(from, to, bucket, clock).map(({ key, start }) => {
    const cs = convByKey.get(key) ?? [];
    const engaged = cs.filter((c) => Boolean(Number(c.engaged)));
    const contained = engaged.filter((c) => !Number(c.handed_off)).length;
    const { abandoned: _abandoned, ...figures } = queryFigures(queriesByKey.get(key) ?? []);
    return {
      key,
      start,
      conversations: cs.length,
      handedOff: cs.filter((c) => Boolean(Number(c.handed_off))).length,
      botContainmentRate: ratio(contained, engaged.length),
      ...figures,
    };
  });

  const busiestHours = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));
  for (const c of conversations) {
    const t = clock(Date.parse(c.created_at));
    (busiestHours[t.weekday] as number[])[t.hour] = ((busiestHours[t.weekday] as number[])[t.hour] ?? 0) + 1;
  }

  const members = new Map((await listMembers(db, workspaceId)).map((m) => [m.id, m.name]));
  const agents = [...groupBy(queries, (q) => q.assignee_id)].map(([id, qs]) =>
    group(id, members.get(id) ?? 'Former member', distinctConversations(qs), qs),
  );
  const teamNames = new Map((await listTeams(db, workspaceId)).map((t) => [t.id, t.name]));
  const teams = [...groupBy(queries, (q) => q.team_id)].map(([id, qs]) =>
    group(id, teamNames.get(id) ?? 'Removed team', distinctConversations(qs), qs),
  );
  const convByWidget = groupBy(conversations, (c) => c.widget_id);
  const queriesByWidget = groupBy(queries, (q) => q.widget_id);
  const widgets = (await listWidgetsInWorkspace(db, workspaceId))
    .filter((w) => convByWidget.has(w.id) || queriesByWidget.has(w.id))
    .map((w) => group(w.id, w.name, convByWidget.get(w.id)?.length ?? 0, queriesByWidget.get(w.id) ?? []));
  const channels =
    conversations.length || queries.length ? [group('web', 'Web widget', conversations.length, queries)] : [];
  const labels: GroupFigures[] = [];
  for (const label of await listLabels(db, workspaceId)) {
    const ids = new Set(
      (await listLabelledConversationIds(db, { workspaceId, labelId: label.id })).map(
        (r) => r.conversation_id,
      ),
    );
    const labelled = conversations.filter((c) => ids.has(c.id)).length;
    const qs = queries.filter((q) => ids.has(q.conversation_id));
    if (labelled || qs.length) labels.push(group(label.id, label.name, labelled, qs));
  }
  const byVolume = (a: GroupFigures, b: GroupFigures) =>
    b.conversations - a.conversations || b.queries - a.queries || a.name.localeCompare(b.name);

  return {
    from,
    to,
    bucket,
    tz,
    summary: await computeReport({ db, workspaceId, from, to }),
    previous: {
      from: previousFrom,
      to: from,
      report: await computeReport({ db, workspaceId, from: previousFrom, to: from }),
    },
    series,
    busiestHours,
    breakdowns: {
      agents: agents.sort(byVolume),
      teams: teams.sort(byVolume),
      widgets: widgets.sort(byVolume),
      channels,
      labels: labels.sort(byVolume),
    },
  };
}
