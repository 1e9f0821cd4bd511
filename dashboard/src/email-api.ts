import type { EmailStatus, FollowUpPosted } from '../../protocol/email.js';
import { newClientId } from '../../protocol/realtime-client.js';
import { request } from './api.js';

const conv = (wid: string, cid: string) =>
  `/workspaces/${encodeURIComponent(wid)}/conversations/${encodeURIComponent(cid)}`;

/** Following up a visitor by email: Parley mails the reply; the address never reaches the dashboard. */
export const emailApi = {
  status: (wid: string, cid: string) => request<EmailStatus>('GET', `${conv(wid, cid)}/email`),
  followUp: (wid: string, cid: string, body: string, clientId = newClientId()) =>
    request<typeof FollowUpPosted.static>('POST', `${conv(wid, cid)}/email-follow-ups`, { clientId, body }),
};
