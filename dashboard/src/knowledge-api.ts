import type { Article, ArticleBody, ArticlePatch, KnowledgeHit } from '../../protocol/knowledge-api.js';
import { request } from './api.js';

const kb = (workspaceId: string) => `/workspaces/${encodeURIComponent(workspaceId)}/knowledge`;

export const knowledgeApi = {
  list: (wid: string) => request<{ items: Article[] }>('GET', `${kb(wid)}/articles`),
  search: (wid: string, q: string) =>
    request<{ items: KnowledgeHit[] }>('GET', `${kb(wid)}/search?${new URLSearchParams({ q, limit: '10' })}`),
  create: (wid: string, body: ArticleBody) => request<Article>('POST', `${kb(wid)}/articles`, body),
  update: (wid: string, id: string, patch: ArticlePatch) =>
    request<Article>('PATCH', `${kb(wid)}/articles/${encodeURIComponent(id)}`, patch),
  remove: (wid: string, id: string) =>
    request<void>('DELETE', `${kb(wid)}/articles/${encodeURIComponent(id)}`, {}),
};
