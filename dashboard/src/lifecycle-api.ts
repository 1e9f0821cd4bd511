import type { ConversationStatus } from '../../protocol/common.js';
import type {
  ConversationCounts,
  ResolutionSettings,
  StatusChange,
  Timeline,
} from '../../protocol/lifecycle.js';
import { request } from './api.js';

const ws = (wid: string) => `/workspaces/${encodeURIComponent(wid)}`;
const conv = (wid: string, id: string) => `${ws(wid)}/conversations/${encodeURIComponent(id)}`;

/** The signed-in workspace, bound when the session starts (session-provider.tsx). */
let boundWorkspace: string | null = null;
export function bindLifecycleWorkspace(wid: string | null): void {
  boundWorkspace = wid;
}
function workspace(wid?: string): string {
  const id = wid ?? boundWorkspace;
  if (!id) throw new Error('no workspace is signed in');
  return id;
}

/** The conversation lifecycle: resolve, reopen, pending, snooze, the tabs' counts, the transcript's events. */
export const lifecycleApi = {
  resolve: (wid: string, id: string, body: { code?: string; note?: string }) =>
    request<StatusChange>('POST', `${conv(wid, id)}/resolve`, body),
  reopen: (wid: string, id: string) => request<StatusChange>('POST', `${conv(wid, id)}/reopen`, {}),
  pending: (wid: string, id: string) => request<StatusChange>('POST', `${conv(wid, id)}/pending`, {}),
  snooze: (wid: string, id: string, until: string | null) =>
    request<StatusChange>('POST', `${conv(wid, id)}/snooze`, { until }),
  close: (wid: string, id: string) => request<void>('PATCH', conv(wid, id), { status: 'closed' }),
  counts: (wid: string) => request<ConversationCounts>('GET', `${ws(wid)}/conversations/counts`),
  events: (wid: string, id: string) => request<Timeline>('GET', `${conv(wid, id)}/events`),
  settings: (wid: string) => request<ResolutionSettings>('GET', `${ws(wid)}/resolution-settings`),
  setCodeRequired: (wid: string, codeRequired: boolean) =>
    request<ResolutionSettings>('PUT', `${ws(wid)}/resolution-settings`, { codeRequired }),
};

/** Resolves a conversation of the signed-in workspace (a keyboard shortcut's way in). */
export function resolveConversation(id: string, code?: string | null): Promise<StatusChange> {
  return lifecycleApi.resolve(workspace(), id, code ? { code } : {});
}

/** Snoozes a conversation until a time, or (null) until the visitor's next message. */
export function snoozeConversation(id: string, until: Date | string | null): Promise<StatusChange> {
  const at = until === null ? null : typeof until === 'string' ? until : until.toISOString();
  return lifecycleApi.snooze(workspace(), id, at);
}

export const STATUS_LABEL: Record<ConversationStatus, string> = {
  open: 'Open',
  pending: 'Pending',
  snoozed: 'Snoozed',
  resolved: 'Resolved',
  closed: 'Closed',
};
