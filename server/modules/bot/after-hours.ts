import type { BusinessHours } from '../../../protocol/flows.js';
import type { Language } from '../../../protocol/languages.js';
import { languageOf, type VisitorTextKey, visitorText } from '../../i18n/visitor-texts.js';
import { clock, nowIso } from '../../platform/clock.js';
import type { Executor } from '../../platform/db/schema.js';
import { setBotListening } from '../conversations/bot-state.js';
import { findProfile } from '../visitors/lookups.js';
import { checkBusinessHours } from './business-hours.js';
import { findBotSettings, findRun, saveRun } from './flow.repository.js';

/** The offer in English; it is made in the conversation's language (server/i18n `emailOffer`). */
export const AFTER_HOURS_EMAIL_OFFER = visitorText('en', 'emailOffer');

/**
 * The text of the handoff notice: the usual one within business hours; outside them, when someone
 * will answer (the next opening in the widget's time zone) and an offer to leave an email. Outside
 * hours the conversation then waits for that email (see takeAfterHoursEmail).
 */
export async function handoffNotice(o: {
  db: Executor;
  widgetId: string;
  workspaceId: string;
  conversationId: string;
  visitorId: string;
  /** The conversation's language: every part of the notice is said in it. */
  language: string | null;
}): Promise<string> {
  const say = (key: VisitorTextKey, vars?: Record<string, string>) => visitorText(o.language, key, vars);
  const settings = await findBotSettings(o.db, o.widgetId);
  const hours = settings?.business_hours ? (JSON.parse(settings.business_hours) as BusinessHours) : null;
  const status = checkBusinessHours(hours, clock.now());
  if (status.open) return say('handoff');
  const when = status.next
    ? say('awayUntil', {
        day: openingDay(status.next.date, languageOf(o.language)),
        time: status.next.time,
        zone: status.next.timeZone,
      })
    : say('awayNoHours');
  if (await emailKnown(o.db, o.visitorId)) return `${when} ${say('emailKnown')}`;
  const run = await findRun(o.db, o.conversationId);
  await saveRun(o.db, {
    conversation_id: o.conversationId,
    workspace_id: o.workspaceId,
    flow_id: run?.flow_id ?? null,
    flow_version: run?.flow_version ?? null,
    step_id: null,
    prompt_seq: null,
    attempts: 0,
    awaiting: 'after_hours_email',
    handoff_team_id: run?.handoff_team_id ?? null,
    updated_at: nowIso(),
  });
  // The visitor's next messages owe the bot a turn again (message-stream.ts), though people answer.
  await setBotListening(o.db, o.conversationId, true);
  return `${when} ${say('emailOffer')}`;
}

/**
 * "Monday 23 November", "Montag, 23. November": the opening's local date (already in the widget's
 * time zone) written the way the language writes it. English reads the British way, day first.
 */
export function openingDay(date: string, language: Language): string {
  const locale = language === 'en' ? 'en-GB' : language;
  const format = new Intl.DateTimeFormat(locale, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    timeZone: 'UTC',
  });
  return format.format(new Date(`${date}T12:00:00Z`));
}

/** Whether the visitor gave an email that retention has not yet removed. */
async function emailKnown(db: Executor, visitorId: string): Promise<boolean> {
  const profile = await findProfile(db, visitorId);
  if (!profile || profile.email === null) return false;
  return profile.expires_at === null || profile.expires_at > nowIso();
}
