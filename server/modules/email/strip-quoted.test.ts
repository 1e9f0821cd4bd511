import { describe, expect, it } from 'vitest';
import { visitorText } from '../../i18n/visitor-texts.js';
import { stripQuoted } from './strip-quoted.js';

/** What mail programs add below an answer is cut; the visitor's own words stay as written. */
describe('stripping quoted history and signatures', () => {
  it.each([
    [
      'Gmail',
      'Yes, Tuesday works.\n\nOn Fri, Dec 4, 2026 at 10:00 AM Acme <reply+x@r.test> wrote:\n> Can we call?\n> Thanks',
    ],
    [
      'Gmail, wrapped',
      'Yes, Tuesday works.\n\nOn Fri, Dec 4, 2026 at 10:00 AM Acme Support <\nreply+x@r.test> wrote:\n> old',
    ],
    ['a signature', 'Yes, Tuesday works.\n-- \nJane Doe\nACME Corp'],
    [
      'Outlook',
      'Yes, Tuesday works.\r\n\r\n________________________________\r\nFrom: Acme Support\r\nSent: Friday\r\n',
    ],
    ['Outlook, original message', 'Yes, Tuesday works.\n-----Original Message-----\nFrom: x\n'],
    ['our marker', `Yes, Tuesday works.\n\n${visitorText('en', 'mailReplyMarker')}\nYou have a reply…`],
    // A mail in the visitor's language carries the marker in it; it is cut there too, also quoted.
    ['our German marker', `Yes, Tuesday works.\n\n${visitorText('de', 'mailReplyMarker')}\nSie haben…`],
    ['our Arabic marker, quoted', `Yes, Tuesday works.\n\n> ${visitorText('ar', 'mailReplyMarker')}\n> …`],
    ['a phone', 'Yes, Tuesday works.\n\nSent from my iPhone'],
    ['interleaved quotes', '> Can we call?\nYes, Tuesday works.\n> Anything else?'],
  ])('%s', (_, text) => {
    expect(stripQuoted(text)).toBe('Yes, Tuesday works.');
  });

  it('keeps paragraphs and lines that merely mention the words', () => {
    expect(stripQuoted('First line.\n\nFrom now on I use this address.\nOn time, please!')).toBe(
      'First line.\n\nFrom now on I use this address.\nOn time, please!',
    );
  });
});
