import { describe, expect, it } from 'vitest';
import { composeMail, type TranscriptLine } from './compose-mail.js';

const lines: TranscriptLine[] = [
  { seq: 1, who: null, body: 'Wo ist meine Bestellung?', at: '2026-12-04T10:00:00.000Z', fresh: false },
  { seq: 2, who: 'Ada', body: 'Sie kommt morgen.', at: '2026-12-04T10:05:00.000Z', fresh: true, files: true },
];
const base = { lines, replyable: true, unsubscribeUrl: 'https://chat.example/unsubscribe#token=t' };

/** A mail to a visitor speaks the language their widget showed; the conversation's words stay theirs. */
describe('the mail to a visitor, in their language', () => {
  it('German: subject, the marker, who wrote, the file note and the way out', () => {
    const mail = composeMail({ ...base, kind: 'replies', language: 'de' });
    expect(mail.subject).toBe('Neue Antwort in Ihrem Gespräch');
    expect(mail.text.split('\n').slice(0, 3)).toEqual([
      '##- Schreiben Sie Ihre Antwort über diese Zeile -##',
      '',
      'Sie haben eine Antwort in Ihrem Gespräch. Antworten Sie auf diese E-Mail, um zurückzuschreiben.',
    ]);
    expect(mail.text).toContain('Sie (2026-12-04 10:00 UTC):\nWo ist meine Bestellung?');
    expect(mail.text).toContain(
      '* Ada (2026-12-04 10:05 UTC):\nSie kommt morgen.\n[eine Datei: öffnen Sie den Chat, um sie zu sehen]',
    );
    expect(mail.text).toContain('Diese E-Mails abbestellen: https://chat.example/unsubscribe#token=t');
    expect(mail.html).toContain('<html lang="de">');
    expect(mail.html).toContain('>Diese E-Mails abbestellen</a>');
  });

  it('Arabic: right to left in the HTML part', () => {
    const mail = composeMail({ ...base, kind: 'transcript', language: 'ar' });
    expect(mail.subject).toBe('نص محادثتك');
    expect(mail.html).toContain('<html lang="ar" dir="rtl">');
    expect(mail.text).not.toContain('##-'); // a transcript is not answered
  });

  it('a conversation from before languages, or an unknown value, is mailed in English', () => {
    for (const language of [null, undefined, 'xx', '"><script>']) {
      const mail = composeMail({ ...base, kind: 'follow_up', replyable: false, language });
      expect(mail.subject).toBe('A reply to your conversation');
      expect(mail.text).toContain('You (2026-12-04 10:00 UTC)');
      expect(mail.text).toContain('Open the chat on the website to write back.');
      expect(mail.html).toContain('<html lang="en">');
    }
  });
});
