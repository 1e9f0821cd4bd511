/**
 * The widget's texts in English: the reference catalogue. Every other language has exactly these
 * keys (a missing or extra key is a type error) and the same {placeholders} (catalogue.test.ts).
 */
export const en = {
  chat: 'Chat',
  supportTeam: 'Support team',
  closeChat: 'Close chat',
  notEmbedded: 'This chat opens from the website it belongs to.',
  connecting: 'Connecting…',
  reconnecting: 'Reconnecting…',
  tryAgain: 'Try again',
  closedTitle: 'This conversation was closed.',
  closedHint: 'A new message starts a new conversation.',
  resolvedTitle: 'This conversation was resolved.',
  resolvedHint: 'Write to reopen it.',
  messageLabel: 'Message',
  placeholder: 'Write a message…',
  send: 'Send',
  messages: 'Messages',
  sending: 'Sending…',
  notSent: 'Not sent: {error}',
  retry: 'Retry',
  seen: 'Seen',
  sent: 'Sent',
  typingOne: '{name} is typing…',
  typingMany: '{names} are typing…',
  ratingThanks: 'Thank you for your rating.',
  ratingLegend: 'Your rating',
  ratingStar: '{n} out of 5',
  ratingCommentLabel: 'Comment (optional)',
  ratingCommentPlaceholder: 'Anything to add? (optional)',
  ratingSend: 'Send rating',
  ratingFailed: 'The rating could not be sent. Try again.',
  source: 'Source:',
  errorNetwork: 'Cannot reach the chat service. Check your connection.',
  errorGeneric: 'Something went wrong on our side. Try again.',
  errorRateLimited: 'Too many messages at once. Wait a moment and try again.',
  errorNotAllowed: 'This chat is not available on this page.',
  errorSignIn: 'Sign in on this website to chat with us.',
  errorTooLong: 'This message is too long.',
} as const;

export type MessageKey = keyof typeof en;
export type Catalogue = Record<MessageKey, string>;
