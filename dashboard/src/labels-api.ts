import type { Conversation } from '../../protocol/common.js';
import type { ConversationLabels, Label, LabelBody, LabelReport } from '../../protocol/labels.js';
import type { SearchQuery } from '../../protocol/search.js';
import { request } from './api.js';

const ws = (wid: string) => `/workspaces/${encodeURIComponent(wid)}`;
const one = (wid: string, conversationId: string, labelId: string) =>
  `${ws(wid)}/conversations/${encodeURIComponent(conversationId)}/labels/${encodeURIComponent(labelId)}`;

/** Labels (managed by administrators, set by agents) and conversation search. */
export const labelsApi = {
  list: (wid: string) => request<{ items: Label[] }>('GET', `${ws(wid)}/labels`),
  create: (wid: string, body: LabelBody) => request<Label>('POST', `${ws(wid)}/labels`, body),
  update: (wid: string, id: string, body: LabelBody) =>
    request<Label>('PUT', `${ws(wid)}/labels/${encodeURIComponent(id)}`, body),
  remove: (wid: string, id: string) => request<void>('DELETE', `${ws(wid)}/labels/${encodeURIComponent(id)}`),
  add: (wid: string, conversationId: string, labelId: string) =>
    request<void>('PUT', one(wid, conversationId, labelId), {}),
  take: (wid: string, conversationId: string, labelId: string) =>
    request<void>('DELETE', one(wid, conversationId, labelId)),
  ofConversations: (wid: string, ids: string[]) =>
    request<{ items: ConversationLabels[] }>(
      'GET',
      `${ws(wid)}/conversation-labels?${new URLSearchParams({ ids: ids.join(',') })}`,
    ),
  report: (wid: string, period: { from: string; to: string }) =>
    request<LabelReport>('GET', `${ws(wid)}/reports/service/by-label?${new URLSearchParams(period)}`),
  search: (wid: string, query: SearchQuery) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v));
    return request<{ items: Conversation[] }>('GET', `${ws(wid)}/search/conversations?${params}`);
  },
};
