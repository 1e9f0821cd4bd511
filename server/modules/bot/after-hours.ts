import type { BusinessHours } from '../../../protocol/flows.js';
import { clock, nowIso } from '../../platform/clock.js';
import type { Executor } from '../../platform/db/schema.js';
import { setBotListening } from '../conversations/conversation.repository.js';
import { type BotTurn, botReply } from './bot-context.js';
import { checkBusinessHours } from './business-hours.js';
import { findBotSettings, findRun, saveRun } from './flow.repository.js';
import { recordAttribute, recordConsent } from './record-lead.js';
import { RETRY_PROMPTS, validateAttribute } from './validate-attribute.js';

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
  usual: string;
}): Promise<string> {
  const settings = await findBotSettings(o.db, o.widgetId);
  const hours = settings?.business_hours ? (JSON.parse(settings.business_hours) as BusinessHours) : null;
  const status = checkBusinessHours(hours, clock.now());
  if (status.open) return o.usual;
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
  const when = status.next
    ? `Our team is away right now. Someone will answer from ${status.next.text}.`
    : 'Our team is away right now and has no opening hours planned; someone will answer as soon as possible.';
  return `${when} ${AFTER_HOURS_EMAIL_OFFER}`;
}

/**
 * After an after-hours handoff, a message with an email address in it becomes a lead (with the
 * contact consent the offer asked for). Something that looks like an attempt at one (`name@host`)
 * but is not valid gets the email retry prompt, and the offer keeps listening. Anything else waits
 * for the team, unanswered by the bot.
 */
export async function takeAfterHoursEmail(turn: BotTurn): Promise<void> {
  const attempt = /[^\s@<>(),;:"]+@[^\s<>(),;:"]+/.exec(turn.message.body)?.[0];
  if (!attempt) return;
  const email = validateAttribute('email', attempt.replace(/[.,!?]+$/, ''));
  if (!email) {
    await botReply(turn, 0, RETRY_PROMPTS.email);
    return;
  }
  const { db, vault, conversation } = turn;
  const target = { db, vault, workspaceId: conversation.workspace_id, visitorId: conversation.visitor_id };
  await recordAttribute({ ...target, kind: 'email', field: undefined, value: email, source: 'after_hours' });
  await recordConsent({ ...target, granted: true, wording: AFTER_HOURS_EMAIL_OFFER });
  const run = await findRun(db, conversation.id);
  if (run) await saveRun(db, { ...run, awaiting: null, updated_at: nowIso() });
  await setBotListening(db, conversation.id, false);
  await botReply(turn, 0, `Thank you. We will also reply to ${email}.`);
}
