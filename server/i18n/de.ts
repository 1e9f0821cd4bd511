import type { VisitorCatalogue } from './en.js';

export const de: VisitorCatalogue = {
  launcherRegion: 'Chat',
  launcherOpen: 'Chat öffnen',
  launcherUnread: 'Chat öffnen ({n} ungelesen)',
  proactiveClose: 'Nachricht schließen',
  prechatConsent:
    'Ich bin einverstanden, dass meine Angaben hier zur Beantwortung meiner Anfrage verwendet werden, wie in der Datenschutzerklärung beschrieben.',
  handoff:
    'Ich gebe dieses Gespräch an eine Person weiter. Bleiben Sie hier: Jemand aus dem Team antwortet in diesem Chat.',
  handoffAction: 'Mit einer Person sprechen',
  ratingPrompt: 'Wie war unser Service? Bewerten Sie dieses Gespräch von 1 bis 5.',
  awayUntil: 'Unser Team ist gerade nicht da. Wir antworten ab {day} um {time} ({zone}).',
  awayNoHours:
    'Unser Team ist gerade nicht da und hat keine Öffnungszeiten geplant; wir antworten so bald wie möglich.',
  emailKnown: 'Wir haben Ihre E-Mail-Adresse und antworten auch dorthin.',
  emailOffer:
    'Wenn Sie hier Ihre E-Mail-Adresse hinterlassen, antworten wir auch per E-Mail. Wir verwenden sie nur für diese Anfrage.',
  emailThanks: 'Danke. Wir antworten auch an {email}.',
  chooseOption: 'Bitte wählen Sie eine der Optionen unten.',
  skip: 'Überspringen',
  suggestions: 'Ich bin nicht sicher, ob ich die Antwort habe. Ist es eines davon?',
  noAnswer:
    'Leider habe ich dazu keine Antwort gefunden. Fragen Sie anders oder sprechen Sie mit einer Person.',
  retryEmail: 'Das sieht nicht nach einer E-Mail-Adresse aus. Bitte im Format name@example.com eingeben.',
  retryPhone: 'Das sieht nicht nach einer Telefonnummer aus. Bitte nur Ziffern, gern mit + am Anfang.',
  retryOrderNumber:
    'Das sieht nicht nach einer Bestellnummer aus. Sie hat 3 bis 40 Buchstaben, Ziffern oder Bindestriche.',
  retryText: 'Bitte antworten Sie mit höchstens {max} Zeichen.',
  mailSubjectReplies: 'Neue Antwort in Ihrem Gespräch',
  mailSubjectFollowUp: 'Eine Antwort in Ihrem Gespräch',
  mailSubjectTranscript: 'Ihr Gesprächsverlauf',
  mailIntroTranscript: 'Hier ist der Gesprächsverlauf, den Sie angefordert haben.',
  mailIntroAnswerByMail:
    'Sie haben eine Antwort in Ihrem Gespräch. Antworten Sie auf diese E-Mail, um zurückzuschreiben.',
  mailIntroAnswerInChat:
    'Sie haben eine Antwort in Ihrem Gespräch. Öffnen Sie den Chat auf der Website, um zurückzuschreiben.',
  mailReplyMarker: '##- Schreiben Sie Ihre Antwort über diese Zeile -##',
  mailYou: 'Sie',
  mailFile: '[eine Datei: öffnen Sie den Chat, um sie zu sehen]',
  mailStop: 'Diese E-Mails abbestellen',
  callStartedAudio: '{agent} hat einen Sprachanruf gestartet.',
  callStartedVideo: '{agent} hat einen Videoanruf gestartet.',
  callAccepted: 'Der Anruf wurde angenommen.',
  callDeclined: 'Der Anruf wurde abgelehnt.',
  callMissed: 'Verpasster Anruf.',
  callEnded: 'Der Anruf wurde nach {duration} beendet.',
};
