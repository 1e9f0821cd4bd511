import { createHmac, timingSafeEqual } from 'node:crypto';
import { clock } from '../../platform/clock.js';
import type { PlatformKind } from '../../platform/db/schema-channels.js';
import {
  arrayOf,
  type ChannelAdapter,
  headerOf,
  type InboundMessage,
  isObject,
  stringOf,
  timeOf,
  UNSUPPORTED_TEXT,
} from './adapter.js';
import { PlatformError, postToPlatform } from './platform-request.js';

/** Meta lets a business answer a customer within 24 hours of the customer's last message. */
export const META_REPLY_WINDOW_MS = 24 * 3_600_000;

/**
 * `X-Hub-Signature-256: sha256=<hex>`: HMAC-SHA256 of the exact request body under the app secret
 * (https://developers.facebook.com/docs/graph-api/webhooks/getting-started#validate-payloads).
 */
export function verifyMetaSignature(rawBody: Buffer, header: string | undefined, appSecret: string): boolean {
  if (!header?.startsWith('sha256=')) return false;
  const presented = Buffer.from(header.slice('sha256='.length), 'hex');
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}

function metaAdapter(kind: Exclude<PlatformKind, 'telegram'>, parse: (body: unknown) => InboundMessage[]) {
  const adapter: ChannelAdapter = {
    kind,
    replyWindowMs: META_REPLY_WINDOW_MS,
    maxTextChars: kind === 'whatsapp' ? 4096 : 2000,
    verify(request, { credentials }) {
      if (!credentials.appSecret) return false;
      return verifyMetaSignature(
        request.rawBody,
        headerOf(request, 'x-hub-signature-256'),
        credentials.appSecret,
      );
    },
    parse,
    async send(config, { credentials, to, text }) {
      if (!credentials.accessToken) throw new PlatformError('the channel has no access token', false);
      const headers = { authorization: `Bearer ${credentials.accessToken}` };
      if (kind === 'whatsapp') {
        if (!credentials.phoneNumberId) throw new PlatformError('the channel has no phone number id', false);
        // https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages#text-messages
        const answer = await postToPlatform(config, {
          url: `${config.metaGraphApiUrl}/${credentials.phoneNumberId}/messages`,
          headers,
          body: {
            messaging_product: 'whatsapp',
            recipient_type: 'individual',
            to,
            type: 'text',
            text: { preview_url: false, body: text },
          },
        });
        const first = isObject(answer) ? arrayOf(answer.messages)[0] : undefined;
        return { platformMessageId: isObject(first) ? stringOf(first.id) : null };
      }
      // https://developers.facebook.com/docs/messenger-platform/reference/send-api/ (Instagram: the same endpoint)
      const answer = await postToPlatform(config, {
        url: `${config.metaGraphApiUrl}/me/messages`,
        headers,
        body: { recipient: { id: to }, messaging_type: 'RESPONSE', message: { text } },
      });
      return { platformMessageId: isObject(answer) ? stringOf(answer.message_id) : null };
    },
  };
  return adapter;
}

/**
 * WhatsApp Cloud API webhook: `entry[].changes[]` with `field: "messages"`, whose `value.messages[]`
 * are the customers' messages (`from` is their WhatsApp id, `id` the message's wamid); statuses of
 * sent messages come in the same shape and are skipped.
 * https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/payload-examples
 */
function parseWhatsApp(body: unknown): InboundMessage[] {
  if (!isObject(body) || body.object !== 'whatsapp_business_account') return [];
  const out: InboundMessage[] = [];
  for (const entry of arrayOf(body.entry)) {
    if (!isObject(entry)) continue;
    for (const change of arrayOf(entry.changes)) {
      if (!isObject(change) || change.field !== 'messages' || !isObject(change.value)) continue;
      for (const message of arrayOf(change.value.messages)) {
        if (!isObject(message)) continue;
        const id = stringOf(message.id);
        const from = stringOf(message.from);
        if (id === null || from === null) continue;
        out.push({
          eventId: id,
          sender: from,
          text: whatsAppText(message),
          at: timeOf(message.timestamp, 'seconds', () => clock.now()),
        });
      }
    }
  }
  return out;
}

function whatsAppText(message: Record<string, unknown>): string {
  if (isObject(message.text)) return stringOf(message.text.body) ?? UNSUPPORTED_TEXT;
  if (isObject(message.button)) return stringOf(message.button.text) ?? UNSUPPORTED_TEXT;
  if (isObject(message.interactive)) {
    const reply = message.interactive.button_reply ?? message.interactive.list_reply;
    if (isObject(reply)) return stringOf(reply.title) ?? UNSUPPORTED_TEXT;
  }
  return UNSUPPORTED_TEXT;
}

/**
 * Messenger (`object: "page"`) and Instagram (`object: "instagram"`) webhooks: `entry[].messaging[]`
 * with `sender.id`, `timestamp` (ms) and `message.mid`/`message.text`; the page's own messages come
 * back as echoes (`is_echo`) and are skipped, a postback carries its button's title.
 * https://developers.facebook.com/docs/messenger-platform/reference/webhook-events/messages
 */
function parseMessaging(object: 'page' | 'instagram') {
  return (body: unknown): InboundMessage[] => {
    if (!isObject(body) || body.object !== object) return [];
    const out: InboundMessage[] = [];
    for (const entry of arrayOf(body.entry)) {
      if (!isObject(entry)) continue;
      for (const event of arrayOf(entry.messaging)) {
        if (!isObject(event) || !isObject(event.sender)) continue;
        const sender = stringOf(event.sender.id);
        const at = timeOf(event.timestamp, 'ms', () => clock.now());
        if (sender === null) continue;
        if (isObject(event.message)) {
          if (event.message.is_echo === true) continue;
          const mid = stringOf(event.message.mid);
          if (mid === null) continue;
          out.push({ eventId: mid, sender, text: stringOf(event.message.text) ?? UNSUPPORTED_TEXT, at });
        } else if (isObject(event.postback)) {
          const mid = stringOf(event.postback.mid);
          const title = stringOf(event.postback.title);
          if (mid !== null && title !== null) out.push({ eventId: mid, sender, text: title, at });
        }
      }
    }
    return out;
  };
}

export const whatsAppAdapter = metaAdapter('whatsapp', parseWhatsApp);
export const messengerAdapter = metaAdapter('messenger', parseMessaging('page'));
export const instagramAdapter = metaAdapter('instagram', parseMessaging('instagram'));
