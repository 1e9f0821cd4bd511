/**
 * What Parley itself says to visitors (the bot's built-in replies and notices, the launcher's
 * labels), in English: the reference catalogue. Every language has exactly these keys (a type
 * error otherwise) with the same {placeholders} (visitor-texts.test.ts). A widget's own greeting
 * and flow texts are the widget's, given per language in its settings; these are not.
 */
export const en = {
  launcherRegion: 'Chat',
  launcherOpen: 'Open chat',
  launcherUnread: 'Open chat ({n} unread)',
  proactiveClose: 'Close message',
  prechatConsent:
    'I agree that the details I give here are used to answer me, as the privacy policy describes.',
  handoff:
    'I’m passing this conversation to a person. Stay here: someone from the team will reply in this chat.',
  handoffAction: 'Talk to a person',
  ratingPrompt: 'How did we do? Rate this conversation from 1 to 5.',
  awayUntil: 'Our team is away right now. Someone will answer from {day} at {time} ({zone}).',
  awayNoHours:
    'Our team is away right now and has no opening hours planned; someone will answer as soon as possible.',
  emailKnown: 'We have your email address and will also reply there.',
  emailOffer:
    'If you leave your email address here, we will also reply by email. Your email is used only to answer this request.',
  emailThanks: 'Thank you. We will also reply to {email}.',
  chooseOption: 'Please choose one of the options below.',
  skip: 'Skip',
  suggestions: 'I’m not sure I have the answer to that. Is it one of these?',
  noAnswer: 'Sorry, I could not find an answer to that. Try asking another way, or talk to a person.',
  retryEmail: 'That does not look like an email address. Please type it like name@example.com.',
  retryPhone: 'That does not look like a phone number. Please use digits, optionally starting with +.',
  retryOrderNumber: 'That does not look like an order number. It has 3 to 40 letters, digits or dashes.',
  retryText: 'Please answer in at most {max} characters.',
  // Email continuity (server/modules/email/compose-mail.ts). The marker line must keep its `##- ` and
  // ` -##` ends: the inbound side cuts a reply there, in every language.
  mailSubjectReplies: 'New reply to your conversation',
  mailSubjectFollowUp: 'A reply to your conversation',
  mailSubjectTranscript: 'Your conversation transcript',
  mailIntroTranscript: 'Here is the transcript you asked for.',
  mailIntroAnswerByMail: 'You have a reply in your conversation. Answer this email to write back.',
  mailIntroAnswerInChat: 'You have a reply in your conversation. Open the chat on the website to write back.',
  mailReplyMarker: '##- Write your answer above this line -##',
  mailYou: 'You',
  mailFile: '[a file: open the chat to see it]',
  mailStop: 'Stop these emails',
  callStartedAudio: '{agent} started a voice call.',
  callStartedVideo: '{agent} started a video call.',
  callAccepted: 'The call was accepted.',
  callDeclined: 'The call was declined.',
  callMissed: 'Missed call.',
  callEnded: 'The call ended after {duration}.',
} as const;

export type VisitorTextKey = keyof typeof en;
export type VisitorCatalogue = Record<VisitorTextKey, string>;
