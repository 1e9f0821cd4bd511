import { visitorText } from '../../i18n/visitor-texts.js';
import { nowIso } from '../../platform/clock.js';
import { setBotListening } from '../conversations/bot-state.js';
import { type BotTurn, botReply } from './bot-context.js';
import { findRun, saveRun } from './flow.repository.js';
import { recordAttribute, recordConsent } from './record-lead.js';
import { validateAttribute } from './validate-attribute.js';

/**
 * After an after-hours handoff, a message with an email address in it becomes a lead (with the
 * contact consent the offer asked for). Something that looks like an attempt at one (`name@host`)
 * but is not valid gets the email retry prompt, and the offer keeps listening. Anything else waits
 * for the team, unanswered by the bot.
 */
export async function takeAfterHoursEmail(turn: BotTurn): Promise<void> {
  const { language } = turn.conversation;
  const attempt = /[^\s@<>(),;:"]+@[^\s<>(),;:"]+/.exec(turn.message.body)?.[0];
  if (!attempt) return;
  const email = validateAttribute('email', attempt.replace(/[.,!?]+$/, ''));
  if (!email) {
    await botReply(turn, 0, visitorText(language, 'retryEmail'));
    return;
  }
  const { db, vault, conversation } = turn;
  const target = { db, vault, workspaceId: conversation.workspace_id, visitorId: conversation.visitor_id };
  await recordAttribute({ ...target, kind: 'email', field: undefined, value: email, source: 'after_hours' });
  // The consent is recorded with the words the visitor was shown, in their language.
  await recordConsent({ ...target, granted: true, wording: visitorText(language, 'emailOffer') });
  const run = await findRun(db, conversation.id);
  if (run) await saveRun(db, { ...run, awaiting: null, updated_at: nowIso() });
  await setBotListening(db, conversation.id, false);
  await botReply(turn, 0, visitorText(language, 'emailThanks', { email }));
}
