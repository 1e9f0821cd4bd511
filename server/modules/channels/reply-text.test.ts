import { describe, expect, it } from 'vitest';
import { UNSUPPORTED_TEXT } from './adapter.js';
import { messengerAdapter, whatsAppAdapter } from './meta-adapter.js';
import { storableText } from './receive-channel-message.js';
import { replyText, splitText } from './reply-text.js';
import { telegramAdapter } from './telegram-adapter.js';

describe('what a channel cannot carry degrades predictably', () => {
  it('turns buttons into numbered lines, cards into text and files into a note', () => {
    const text = replyText({
      body: 'How can we help?',
      structured: JSON.stringify({
        parts: [
          {
            type: 'card',
            title: 'Opening hours',
            text: 'Mon–Fri 9–17',
            url: 'https://shop.example.com/hours',
          },
        ],
        actions: [
          { id: 'track', kind: 'reply', label: 'Track my parcel' },
          { id: 'human', kind: 'handoff', label: 'Talk to a person' },
        ],
      }),
      attachments: JSON.stringify([{ name: 'invoice.pdf' }]),
    });
    expect(text).toBe(
      [
        'How can we help?',
        'Opening hours\nMon–Fri 9–17\nLink: https://shop.example.com/hours',
        '1. Track my parcel\n2. Talk to a person',
        'Reply with the number of your choice.',
        '[A file was shared in the chat and cannot be sent on this channel.]',
      ].join('\n\n'),
    );
  });

  it('splits a long reply at line or word breaks within the platform’s limit', () => {
    const long = `${'word '.repeat(500)}\n${'more '.repeat(100)}`.trim();
    const parts = splitText(long, messengerAdapter.maxTextChars);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(2000);
    expect(parts.join(' ').replace(/\s+/g, ' ')).toBe(long.replace(/\s+/g, ' '));
    expect(splitText('short', 4096)).toEqual(['short']);
  });

  it('reads only customers’ messages from webhooks; statuses, echoes and odd shapes are skipped', () => {
    expect(
      telegramAdapter.parse({ update_id: 1, message: { chat: { id: 5 }, date: 1441645532, sticker: {} } }),
    ).toEqual([
      { eventId: 'update:1', sender: '5', text: UNSUPPORTED_TEXT, at: new Date(1441645532000).toISOString() },
    ]);
    expect(telegramAdapter.parse({ update_id: 2, edited_message: { chat: { id: 5 }, text: 'x' } })).toEqual(
      [],
    );
    expect(telegramAdapter.parse('nonsense')).toEqual([]);
    // https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/payload-examples#message-status-updates
    const status = {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '1',
          changes: [{ field: 'messages', value: { statuses: [{ id: 'wamid.X', status: 'delivered' }] } }],
        },
      ],
    };
    expect(whatsAppAdapter.parse(status)).toEqual([]);
    const echo = {
      object: 'page',
      entry: [
        {
          id: '1',
          messaging: [{ sender: { id: '9' }, timestamp: 1, message: { mid: 'm', text: 'x', is_echo: true } }],
        },
      ],
    };
    expect(messengerAdapter.parse(echo)).toEqual([]);
    // A WhatsApp webhook sent to a Messenger channel is not read as one.
    expect(messengerAdapter.parse({ ...status, object: 'whatsapp_business_account' })).toEqual([]);
  });

  it('keeps a customer’s over-long or empty message instead of refusing the webhook (which the platform would resend)', () => {
    const long = storableText('x'.repeat(4096));
    expect(long.length).toBe(4000);
    expect(long.endsWith('[cut: the message was longer than a chat message may be]')).toBe(true);
    expect(storableText('   ')).toBe(UNSUPPORTED_TEXT);
    expect(storableText('hello')).toBe('hello');
  });
});
