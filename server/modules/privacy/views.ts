import type { Attachment } from '../../../protocol/attachments.js';
import type { Conversation, Message } from '../../../protocol/common.js';
import type { Note, VisitorProfile } from '../../../protocol/data-protection.js';
import { can } from '../../../protocol/permissions.js';
import type { Agent } from '../auth/agent.js';
import { presentConversation } from '../conversations/presenters.js';
import type { OpenedSummaryRow } from '../encryption/message-cipher.js';
import { maskEmail, maskName, maskPhone, maskText } from './masking.js';

/** Who is looking: roles without `personal-data.read` get masked views, built here on the server. */
export interface Viewer {
  readonly personalData: boolean;
}

export const FULL_VIEW: Viewer = { personalData: true };

/**
 * What the caller may see: an agent by role; a site backend's API token sees personal data only with
 * the `visitors:read` scope (it is the site's own visitor data); anyone else sees masks.
 */
export function viewerOf(
  who: Pick<Agent, 'role'> | null,
  token?: { scopes: readonly string[] } | null,
): Viewer {
  if (who) return { personalData: can(who.role, 'personal-data.read') };
  return { personalData: token?.scopes.includes('visitors:read') ?? false };
}

export function maskMessage(message: Message): Message {
  return {
    ...message,
    body: maskText(message.body),
    ...(message.attachments
      ? { attachments: message.attachments.map((a) => ({ ...a, name: maskText(a.name) })) }
      : {}),
  };
}

/** An attachment's name is free text like a message's; masked for roles without personal data. */
export function viewAttachment(attachment: Attachment, viewer: Viewer): Attachment {
  return viewer.personalData ? attachment : { ...attachment, name: maskText(attachment.name) };
}

/**
 * A file the visitor sent may show anything about them (a photo, an ID, an invoice), and there is no
 * masking a file: roles without personal data do not open those. Files agents and the site sent, they do.
 */
export function mayOpenAttachment(uploaderKind: string, viewer: Viewer): boolean {
  return viewer.personalData || uploaderKind !== 'visitor';
}

export function viewMessage(message: Message, viewer: Viewer): Message {
  return viewer.personalData ? message : maskMessage(message);
}

export function viewConversation(row: OpenedSummaryRow, viewer: Viewer): Conversation {
  const conversation = presentConversation(row);
  return viewer.personalData ? conversation : maskConversation(conversation, row.visitor_real_name !== null);
}

/** The pseudonym ("Visitor 3f2a") names nobody and stays; a name the visitor gave is masked. */
export function maskConversation(conversation: Conversation, realName: boolean): Conversation {
  return {
    ...conversation,
    visitor: {
      ...conversation.visitor,
      name: realName ? maskName(conversation.visitor.name) : conversation.visitor.name,
    },
    lastMessagePreview:
      conversation.lastMessagePreview === null ? null : maskText(conversation.lastMessagePreview),
  };
}

export function viewProfile(profile: VisitorProfile, viewer: Viewer): VisitorProfile {
  if (viewer.personalData) return profile;
  return {
    ...profile,
    name: profile.name === null ? null : maskName(profile.name),
    email: profile.email === null ? null : maskEmail(profile.email),
    phone: profile.phone === null ? null : maskPhone(profile.phone),
    custom: Object.fromEntries(Object.entries(profile.custom).map(([k, v]) => [k, maskText(v)])),
    masked: true,
  };
}

export function viewNote(note: Note, viewer: Viewer): Note {
  return viewer.personalData ? note : { ...note, body: maskText(note.body) };
}
