import { answerVisitor } from './answer-visitor.js';
import type { BotTurn } from './bot-context.js';
import { delegateToExternalBot } from './delegate-to-external-bot.js';
import { findBotSettings } from './flow.repository.js';

/**
 * A visitor's message that no flow step takes is a question: the widget's external bot answers it,
 * or the knowledge-base bot, which hands it to people when it has no answer.
 */
export async function answerQuestion(turn: BotTurn): Promise<void> {
  const settings = await findBotSettings(turn.db, turn.widget.id);
  if (settings?.external_bot_enabled === 1) return delegateToExternalBot(turn, settings);
  await answerVisitor(turn);
}
