import type {
  CannedResponse,
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
  report: (wid: string) => request<ServiceReport>('GET', `${ws(wid)}/reports/service`),
};

/** Fills a canned response's variables: {visitor.name} and {agent.name}. */
export function fillCanned(body: string, vars: { visitorName: string; agentName: string }): string {
  return body.replaceAll('{visitor.name}', vars.visitorName).replaceAll('{agent.name}', vars.agentName);
}
