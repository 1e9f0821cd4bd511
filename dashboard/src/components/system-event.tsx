import type { TimelineEvent } from '../../../protocol/lifecycle.js';
import { clockTime, fullTime } from '../lib/time.js';

/** Who did it, in words: an agent's name when known, "the visitor", or Parley itself. */
function who(e: TimelineEvent, names: ReadonlyMap<string, string>, me: string): string {
  if (e.actor.kind === 'visitor') return 'The visitor';
  if (e.actor.kind === 'system') return 'Parley';
  if (e.actor.kind === 'api') return 'The site’s backend';
  if (e.actor.id === me) return 'You';
  return (e.actor.id && names.get(e.actor.id)) || 'An agent';
}

function whom(id: string | null | undefined, names: ReadonlyMap<string, string>, me: string): string {
  if (!id) return 'the queue';
  if (id === me) return 'you';
  return names.get(id) ?? 'another agent';
}

const untilFmt = new Intl.DateTimeFormat(undefined, { weekday: 'short', hour: 'numeric', minute: '2-digit' });

/** One line of the transcript saying what happened: "Ana resolved it · Answered". */
export function describeEvent(
  e: TimelineEvent,
  names: ReadonlyMap<string, string>,
  codes: ReadonlyMap<string, string>,
  me: string,
): string {
  const actor = who(e, names, me);
  switch (e.kind) {
    case 'resolved':
      return `${actor} resolved the conversation${e.code ? ` · ${codes.get(e.code) ?? e.code}` : ''}`;
    case 'reopened':
      return e.actor.kind === 'visitor'
        ? 'The visitor wrote again: the conversation is open'
        : `${actor} reopened the conversation`;
    case 'pending':
      return `${actor} marked it as waiting on the visitor`;
    case 'snoozed':
      return e.until
        ? `${actor} snoozed it until ${untilFmt.format(Date.parse(e.until))}`
        : `${actor} snoozed it until the visitor replies`;
    case 'woke':
      return 'The snooze ended: the conversation is open again';
    case 'closed':
      return `${actor} closed the conversation`;
    case 'queued':
      return e.teamId ? 'Waiting for a person (team queue)' : 'Waiting for a person';
    case 'assigned':
      return e.actor.id && e.actor.id === e.assigneeId
        ? `${actor} took the conversation`
        : `Assigned to ${whom(e.assigneeId, names, me)}`;
    case 'transferred':
      return `${actor} transferred it to ${e.assigneeId ? whom(e.assigneeId, names, me) : 'a team'}`;
    case 'abandoned':
      return 'The visitor left before anyone answered';
    case 'rated':
      return `The visitor rated it ${e.rating ?? '?'} out of 5${e.comment ? `: “${e.comment}”` : ''}`;
  }
}

export function SystemEvent({ event, text }: { event: TimelineEvent; text: string }) {
  return (
    <li
      className={`system-event system-event-${event.kind}`}
      data-testid="system-event"
      data-kind={event.kind}
    >
      {event.kind === 'rated' && event.rating ? (
        <span className="system-event-stars" aria-hidden="true">
          {'★'.repeat(event.rating)}
          {'☆'.repeat(5 - event.rating)}
        </span>
      ) : null}
      <span>{text}</span>
      <time dateTime={event.at} title={fullTime(event.at)}>
        {clockTime(event.at)}
      </time>
    </li>
  );
}
