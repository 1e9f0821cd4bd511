import type { BusinessHours } from '../../../protocol/flows.js';
import { clock, nowIso } from '../../platform/clock.js';
import type { Executor } from '../../platform/db/schema.js';
import { setBotListening } from '../conversations/bot-state.js';
import { findProfile } from '../visitors/lookups.js';
import { checkBusinessHours } from './business-hours.js';
import { findBotSettings, findRun, saveRun } from './flow.repository.js';

/** Said instead of the offer when the visitor already gave an email: they are not asked again. */
export const AFTER_HOURS_EMAIL_KNOWN = 'We have your email address and will also reply there.';

export const AFTER_HOURS_EMAIL_OFFER =
  'If you leave your email address here, we will also reply by email. Your email is used only to answer this request.';

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
  usual: string;
}): Promise<string> {
  const settings = await findBotSettings(o.db, o.widgetId);
  const hours = settings?.business_hours ? (JSON.parse(settings.business_hours) as BusinessHours) : null;
  const status = checkBusinessHours(hours, clock.now());
  if (status.open) return o.usual;
  const when = status.next
    ? `Our team is away right now. Someone will answer from ${status.next.text}.`
    : 'Our team is away right now and has no opening hours planned; someone will answer as soon as possible.';
  if (await emailKnown(o.db, o.visitorId)) return `${when} ${AFTER_HOURS_EMAIL_KNOWN}`;
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
  return `${when} ${AFTER_HOURS_EMAIL_OFFER}`;
}

/** Whether the visitor gave an email that retention has not yet removed. */
async function emailKnown(db: Executor, visitorId: string): Promise<boolean> {
  const profile = await findProfile(db, visitorId);
  if (!profile || profile.email === null) return false;
  return profile.expires_at === null || profile.expires_at > nowIso();
}
