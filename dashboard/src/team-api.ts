import type {
  AcceptInviteBody,
  AuditEntry,
  AuditQuery,
  ChangePasswordBody,
  Invite,
  InviteBody,
  Me,
  Member,
  MemberPatch,
  OutboxMail,
  SessionInfo,
} from '../../protocol/index.js';
import { request } from './api.js';

/** Team, account, audit log and outbox calls; the transport and its error handling live in api.ts. */

const ws = (workspaceId: string) => `/workspaces/${encodeURIComponent(workspaceId)}`;
const id = (value: string) => encodeURIComponent(value);
const query = (params: Record<string, string | number | undefined>) => {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') search.set(k, String(v));
  const s = search.toString();
  return s ? `?${s}` : '';
};
// Public flows answer 401 as an outcome to show, never as "go and sign in".
const publicCall = { noAuthRedirect: true } as const;

export const teamApi = {
  listMembers: (wid: string) => request<{ items: Member[] }>('GET', `${ws(wid)}/users`),
  updateMember: (wid: string, userId: string, patch: MemberPatch) =>
    request<void>('PATCH', `${ws(wid)}/users/${id(userId)}`, patch),
  deleteMember: (wid: string, userId: string) =>
    request<void>('DELETE', `${ws(wid)}/users/${id(userId)}`, {}),
  endMemberSessions: (wid: string, userId: string) =>
    request<{ ended: number }>('POST', `${ws(wid)}/users/${id(userId)}/sessions/end`, {}),

  listInvites: (wid: string) => request<{ items: Invite[] }>('GET', `${ws(wid)}/invites`),
  invite: (wid: string, body: InviteBody) => request<Invite>('POST', `${ws(wid)}/invites`, body),
  revokeInvite: (wid: string, inviteId: string) =>
    request<void>('DELETE', `${ws(wid)}/invites/${id(inviteId)}`, {}),
  acceptInvite: (body: AcceptInviteBody) => request<Me>('POST', '/invites/accept', body, publicCall),

  requestPasswordReset: (email: string) =>
    request<{ message: string }>('POST', '/auth/password-reset', { email }, publicCall),
  completePasswordReset: (token: string, password: string) =>
    request<void>('POST', '/auth/password-reset/complete', { token, password }, publicCall),
  changePassword: (body: ChangePasswordBody) => request<void>('POST', '/auth/password', body),

  listSessions: () => request<{ items: SessionInfo[] }>('GET', '/auth/sessions'),
  revokeSession: (sessionId: string) => request<void>('DELETE', `/auth/sessions/${id(sessionId)}`, {}),
  endAllSessions: () => request<{ ended: number }>('POST', '/auth/sessions/end-all', {}),

  listOutbox: (wid: string) =>
    request<{ mode: 'smtp' | 'outbox'; items: OutboxMail[] }>('GET', `${ws(wid)}/outbox`),
  listAudit: (wid: string, params: AuditQuery) =>
    request<{ items: AuditEntry[]; nextBeforeSeq: number | null }>(
      'GET',
      `${ws(wid)}/audit${query({ ...params })}`,
    ),
};
