import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the documented subset of the messaging platforms' APIs that Parley's channel
 * adapters call, answering as the documentation says they answer:
 * - Telegram Bot API `POST /bot<token>/sendMessage` (https://core.telegram.org/bots/api#sendmessage,
 *   answer `{ ok: true, result: Message }`; a wrong token: 401 `{ ok: false, error_code: 401,
 *   description: "Unauthorized" }`, https://core.telegram.org/bots/api#making-requests).
 * - WhatsApp Cloud API `POST /<phone-number-id>/messages`
 *   (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages), answer
 *   `{ messaging_product, contacts: [{ input, wa_id }], messages: [{ id }] }`.
 * - Messenger / Instagram Send API `POST /me/messages`
 *   (https://developers.facebook.com/docs/messenger-platform/reference/send-api/), answer
 *   `{ recipient_id, message_id }`. Graph errors: `{ error: { message, type, code } }`.
 * Tests script failures (`failNext`) to prove retries, and read what was sent.
 */
export interface SentRequest {
  path: string;
  authorization: string | undefined;
  body: Record<string, any>;
}

export class FakePlatforms {
  private server!: Server;
  readonly sent: SentRequest[] = [];
  /** Requests that were answered with a failure (scripted or refused). */
  readonly failed: SentRequest[] = [];
  botToken = '123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11';
  accessToken = 'EAAG-test-access-token';
  private failures: number[] = [];
  private counter = 1000;

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The next `count` sends answer with `status` (500: the platform is down; 401: the token was revoked). */
  failNext(count: number, status: number): void {
    for (let i = 0; i < count; i++) this.failures.push(status);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const request: SentRequest = {
      path: req.url ?? '',
      authorization: req.headers.authorization,
      body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'),
    };
    const telegram = /^\/bot([^/]+)\/sendMessage$/.exec(request.path);
    const scripted = this.failures.shift();
    if (scripted !== undefined) {
      this.failed.push(request);
      if (telegram)
        return json(res, scripted, {
          ok: false,
          error_code: scripted,
          description: scripted === 401 ? 'Unauthorized' : 'Internal Server Error',
        });
      return json(res, scripted, {
        error: {
          message:
            scripted === 401
              ? 'Error validating access token'
              : 'An unexpected error has occurred. Please retry your request later.',
          type: 'OAuthException',
          code: scripted === 401 ? 190 : 2,
        },
      });
    }
    this.counter += 1;
    if (telegram) {
      if (telegram[1] !== this.botToken) {
        this.failed.push(request);
        return json(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
      }
      this.sent.push(request);
      return json(res, 200, {
        ok: true,
        result: {
          message_id: this.counter,
          date: 1441645532,
          chat: { id: request.body.chat_id, type: 'private' },
          text: request.body.text,
        },
      });
    }
    if (request.authorization !== `Bearer ${this.accessToken}`) {
      this.failed.push(request);
      return json(res, 401, {
        error: { message: 'Invalid OAuth access token.', type: 'OAuthException', code: 190 },
      });
    }
    if (/^\/[0-9]+\/messages$/.test(request.path)) {
      this.sent.push(request);
      return json(res, 200, {
        messaging_product: 'whatsapp',
        contacts: [{ input: request.body.to, wa_id: request.body.to }],
        messages: [{ id: `wamid.HBgL${this.counter}` }],
      });
    }
    if (request.path === '/me/messages') {
      this.sent.push(request);
      return json(res, 200, { recipient_id: request.body.recipient?.id, message_id: `m_${this.counter}` });
    }
    this.failed.push(request);
    json(res, 404, { error: { message: 'Unknown path components', type: 'OAuthException', code: 2500 } });
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/**
 * Webhook bodies as the platforms document them (placeholders filled in).
 * Telegram: https://core.telegram.org/bots/webhooks#testing-your-bot-with-updates (the "/start" update).
 * WhatsApp: https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/payload-examples#text-messages
 * Messenger: https://developers.facebook.com/docs/messenger-platform/reference/webhook-events/messages
 * Instagram: https://developers.facebook.com/docs/instagram-platform/webhooks/examples (messages)
 */
export const WEBHOOKS = {
  telegram: (o: { updateId: number; chatId: number; text: string; date: number }) => ({
    update_id: o.updateId,
    message: {
      date: o.date,
      chat: { last_name: 'Test Lastname', id: o.chatId, first_name: 'Test', username: 'Test' },
      message_id: 1365,
      from: { last_name: 'Test Lastname', id: o.chatId, first_name: 'Test', username: 'Test' },
      text: o.text,
    },
  }),
  whatsapp: (o: { id: string; from: string; text: string; timestamp: number; phoneNumberId: string }) => ({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550783881', phone_number_id: o.phoneNumberId },
              contacts: [{ profile: { name: 'Sheena Nelson' }, wa_id: o.from }],
              messages: [
                {
                  from: o.from,
                  id: o.id,
                  timestamp: String(o.timestamp),
                  text: { body: o.text },
                  type: 'text',
                },
              ],
            },
            field: 'messages',
          },
        ],
      },
    ],
  }),
  messaging: (o: {
    object: 'page' | 'instagram';
    mid: string;
    sender: string;
    text: string;
    timestamp: number;
  }) => ({
    object: o.object,
    entry: [
      {
        id: '17841400008460056',
        time: o.timestamp,
        messaging: [
          {
            sender: { id: o.sender },
            recipient: { id: '17841400008460056' },
            timestamp: o.timestamp,
            message: { mid: o.mid, text: o.text },
          },
        ],
      },
    ],
  }),
};
