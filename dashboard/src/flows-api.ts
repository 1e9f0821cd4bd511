import type {
  BusinessHours,
  ExternalBotBody,
  ExternalBotSettings,
  Flow,
  FlowBody,
} from '../../protocol/flows.js';
import { request } from './api.js';

const w = (workspaceId: string, widgetId: string) =>
  `/workspaces/${encodeURIComponent(workspaceId)}/widgets/${encodeURIComponent(widgetId)}`;

export const flowsApi = {
  list: (ws: string, wid: string) => request<{ items: Flow[] }>('GET', `${w(ws, wid)}/flows`),
  create: (ws: string, wid: string, body: FlowBody) => request<Flow>('POST', `${w(ws, wid)}/flows`, body),
  update: (ws: string, wid: string, id: string, body: FlowBody) =>
    request<Flow>('PUT', `${w(ws, wid)}/flows/${encodeURIComponent(id)}`, body),
  remove: (ws: string, wid: string, id: string) =>
    request<void>('DELETE', `${w(ws, wid)}/flows/${encodeURIComponent(id)}`, {}),
  externalBot: (ws: string, wid: string) => request<ExternalBotSettings>('GET', `${w(ws, wid)}/external-bot`),
  saveExternalBot: (ws: string, wid: string, body: ExternalBotBody) =>
    request<ExternalBotSettings & { secret?: string }>('PUT', `${w(ws, wid)}/external-bot`, body),
  rotateSecret: (ws: string, wid: string) =>
    request<{ secret: string }>('POST', `${w(ws, wid)}/external-bot/secret`, {}),
  hours: (ws: string, wid: string) => request<BusinessHours>('GET', `${w(ws, wid)}/business-hours`),
  saveHours: (ws: string, wid: string, body: BusinessHours) =>
    request<BusinessHours>('PUT', `${w(ws, wid)}/business-hours`, body),
};
