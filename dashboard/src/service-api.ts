import type {
  CannedResponse,
  CannedResponseBody,
  Query,
  ResolutionCode,
  ServiceAgent,
  ServiceReport,
  Team,
} from '../../protocol/service.js';
import { request } from './api.js';

const ws = (wid: string) => `/workspaces/${encodeURIComponent(wid)}`;
const q = (wid: string, id: string) => `${ws(wid)}/queries/${encodeURIComponent(id)}`;

/** The handoff queue: queries, assignment, transfer, resolution, presence, canned responses. */
export const serviceApi = {
  queries: (wid: string, view: 'queue' | 'mine' | 'all') =>
    request<{ items: Query[] }>('GET', `${ws(wid)}/queries?view=${view}`),
  counts: (wid: string) => request<{ queue: number; mine: number }>('GET', `${ws(wid)}/queries/counts`),
  query: (wid: string, id: string) => request<Query>('GET', q(wid, id)),
  pick: (wid: string, id: string) => request<unknown>('POST', `${q(wid, id)}/pick`, {}),
  transfer: (wid: string, id: string, body: { userId?: string; teamId?: string; note?: string }) =>
    request<unknown>('POST', `${q(wid, id)}/transfer`, body),
  resolve: (wid: string, id: string, body: { code: string; note?: string }) =>
    request<unknown>('POST', `${q(wid, id)}/resolve`, body),
  agents: (wid: string) => request<{ items: ServiceAgent[] }>('GET', `${ws(wid)}/agents`),
  teams: (wid: string) => request<{ items: Team[] }>('GET', `${ws(wid)}/teams`),
  presence: (wid: string, status: 'online' | 'away') =>
    request<unknown>('PUT', `${ws(wid)}/presence`, { status }),
  codes: (wid: string) => request<{ items: ResolutionCode[] }>('GET', `${ws(wid)}/resolution-codes`),
  canned: (wid: string) => request<{ items: CannedResponse[] }>('GET', `${ws(wid)}/canned-responses`),
  report: (wid: string, period: { from: string; to: string }) =>
    request<ServiceReport>(
      'GET',
      `${ws(wid)}/reports/service?${new URLSearchParams({ from: period.from, to: period.to })}`,
    ),
};

const item = (wid: string, kind: string, id: string) => `${ws(wid)}/${kind}/${encodeURIComponent(id)}`;

/** Service settings: teams and widget routing, agent capacity, resolution codes, canned responses. */
export const serviceSettingsApi = {
  createTeam: (wid: string, name: string) => request<Team>('POST', `${ws(wid)}/teams`, { name }),
  renameTeam: (wid: string, id: string, name: string) =>
    request<Team>('PATCH', item(wid, 'teams', id), { name }),
  deleteTeam: (wid: string, id: string) => request<void>('DELETE', item(wid, 'teams', id)),
  setMembers: (wid: string, id: string, userIds: string[]) =>
    request<Team>('PUT', `${item(wid, 'teams', id)}/members`, { userIds }),
  routeWidget: (wid: string, widgetId: string, teamId: string | null) =>
    request<unknown>('PUT', `${item(wid, 'widgets', widgetId)}/team`, { teamId }),
  setCapacity: (wid: string, userId: string, capacity: number) =>
    request<unknown>('PUT', `${item(wid, 'agents', userId)}/settings`, { capacity }),
  addCode: (wid: string, body: { code: string; label: string }) =>
    request<ResolutionCode>('POST', `${ws(wid)}/resolution-codes`, body),
  deleteCode: (wid: string, id: string) => request<void>('DELETE', item(wid, 'resolution-codes', id)),
  addCanned: (wid: string, body: CannedResponseBody) =>
    request<CannedResponse>('POST', `${ws(wid)}/canned-responses`, body),
  updateCanned: (wid: string, id: string, body: CannedResponseBody) =>
    request<CannedResponse>('PUT', item(wid, 'canned-responses', id), body),
  deleteCanned: (wid: string, id: string) => request<void>('DELETE', item(wid, 'canned-responses', id)),
};

/** Fills a canned response's variables, with the fallback for an unknown name (protocol/canned-fill.ts). */
export { fillCannedBody as fillCanned } from '../../protocol/canned-fill.js';
