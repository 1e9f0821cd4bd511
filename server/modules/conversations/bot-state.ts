/**
 * The bot's and the handoff's state on a conversation, changed by those modules through these
 * commands: whether the bot still answers (handoff requested, or back to the bot after a
 * resolution), how often it missed, whether it still listens after a handoff (an after-hours email
 * offer), and which query is the conversation's current one.
 */
export {
  attachQuery,
  markHandoffRequested,
  recordBotMiss,
  returnToBot,
  setBotListening,
} from './conversation.repository.js';
