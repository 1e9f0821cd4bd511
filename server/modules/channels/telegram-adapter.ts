import { clock } from '../../platform/clock.js';
import {
  type ChannelAdapter,
  headerOf,
  type InboundMessage,
  isObject,
  sameSecret,
  stringOf,
  timeOf,
  UNSUPPORTED_TEXT,
} from './adapter.js';
import { PlatformError, postToPlatform } from './platform-request.js';

/**
 * Telegram Bot API (https://core.telegram.org/bots/api). The webhook is set with a `secret_token`
 * (setWebhook), which Telegram sends in `X-Telegram-Bot-Api-Secret-Token` with every update; an
 * update without it, or with another, is not Telegram's. Updates carry `update_id`, which Parley uses
 * to store a redelivered update once. Replies: `POST <api>/bot<token>/sendMessage`.
 */
export const telegramAdapter: ChannelAdapter = {
  kind: 'telegram',
  replyWindowMs: null,
  maxTextChars: 4096,

  verify(request, { webhookSecret }) {
    const presented = headerOf(request, 'x-telegram-bot-api-secret-token');
    return presented !== undefined && sameSecret(presented, webhookSecret);
  },

  parse(body) {
    if (!isObject(body)) return [];
    const updateId = stringOf(body.update_id);
    const message = body.message;
    if (updateId === null || !isObject(message) || !isObject(message.chat)) return [];
    const chatId = stringOf(message.chat.id);
    if (chatId === null) return [];
    const text = stringOf(message.text) ?? stringOf(message.caption) ?? UNSUPPORTED_TEXT;
    const inbound: InboundMessage = {
      eventId: `update:${updateId}`,
      sender: chatId,
      text,
      at: timeOf(message.date, 'seconds', () => clock.now()),
    };
    return [inbound];
  },

  async send(config, { credentials, to, text }) {
    if (!credentials.botToken) throw new PlatformError('the channel has no bot token', false);
    const answer = await postToPlatform(config, {
      url: `${config.telegramApiUrl}/bot${credentials.botToken}/sendMessage`,
      body: { chat_id: to, text },
    });
    const result = isObject(answer) && isObject(answer.result) ? answer.result : null;
    return { platformMessageId: result ? stringOf(result.message_id) : null };
  },
};
