import type {
  Archive,
  ArchiveSummary,
  Erasure,
  Note,
  RetentionBody,
  RetentionRuns,
  RetentionSettings,
  VisitorExport,
  VisitorProfile,
  VisitorProfilePatch,
} from '../../protocol/data-protection.js';
import type { VisitorContext } from '../../protocol/visitor-context.js';
import { request } from './api.js';

const ws = (workspaceId: string) => `/workspaces/${encodeURIComponent(workspaceId)}`;
const id = encodeURIComponent;

/** Visitor data, notes, retention, archives, export and erasure (docs/PROTOCOL.md §2.12–2.14). */
export const dataApi = {
  /** The visitor beside a conversation: page, profile, earlier conversations (docs/PROTOCOL.md §2.15). */
  context: (wid: string, conversationId: string) =>
    request<VisitorContext>('GET', `${ws(wid)}/conversations/${id(conversationId)}/context`),
  getVisitor: (wid: string, visitorId: string) =>
    request<VisitorProfile>('GET', `${ws(wid)}/visitors/${id(visitorId)}`),
  updateVisitor: (wid: string, visitorId: string, body: VisitorProfilePatch) =>
    request<VisitorProfile>('PATCH', `${ws(wid)}/visitors/${id(visitorId)}`, body),
  exportVisitor: (wid: string, visitorId: string) =>
    request<VisitorExport>('GET', `${ws(wid)}/visitors/${id(visitorId)}/export`),
  eraseVisitor: (wid: string, visitorId: string) =>
    request<Erasure>('DELETE', `${ws(wid)}/visitors/${id(visitorId)}`, {}),

  listNotes: (wid: string, conversationId: string) =>
    request<{ items: Note[] }>('GET', `${ws(wid)}/conversations/${id(conversationId)}/notes`),
  addNote: (wid: string, conversationId: string, body: string) =>
    request<Note>('POST', `${ws(wid)}/conversations/${id(conversationId)}/notes`, { body }),
  closeConversation: (wid: string, conversationId: string) =>
    request<void>('PATCH', `${ws(wid)}/conversations/${id(conversationId)}`, { status: 'closed' }),

  getRetention: (wid: string, widgetId: string) =>
    request<RetentionSettings>('GET', `${ws(wid)}/widgets/${id(widgetId)}/retention`),
  saveRetention: (wid: string, widgetId: string, body: RetentionBody) =>
    request<RetentionSettings>('PUT', `${ws(wid)}/widgets/${id(widgetId)}/retention`, body),
  listRetentionRuns: (wid: string) => request<RetentionRuns>('GET', `${ws(wid)}/retention/runs`),

  listArchives: (wid: string) => request<{ items: ArchiveSummary[] }>('GET', `${ws(wid)}/archives`),
  getArchive: (wid: string, archiveId: string) =>
    request<Archive>('GET', `${ws(wid)}/archives/${id(archiveId)}`),
};

/** Saves a JSON document as a file download, without it ever being rendered as markup. */
export function downloadJson(filename: string, data: unknown): void {
  const blob = new Blob([`${JSON.stringify(data, null, 2)}\n`], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
