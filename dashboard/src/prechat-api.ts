import type { PrechatSettings, PrechatSettingsBody } from '../../protocol/prechat.js';
import type { ProactiveRule, ProactiveRuleBody } from '../../protocol/proactive.js';
import { request } from './api.js';

const path = (wid: string, id: string) =>
  `/workspaces/${encodeURIComponent(wid)}/widgets/${encodeURIComponent(id)}/prechat`;

/** A widget's pre-chat form (administrators change it; everyone may read). */
export const prechatApi = {
  get: (wid: string, id: string) => request<PrechatSettings>('GET', path(wid, id)),
  save: (wid: string, id: string, body: PrechatSettingsBody) =>
    request<PrechatSettings>('PUT', path(wid, id), body),
};

const proactivePath = (wid: string, id: string) =>
  `/workspaces/${encodeURIComponent(wid)}/widgets/${encodeURIComponent(id)}/proactive`;

/** A widget's proactive message rule (administrators change it; everyone may read). */
export const proactiveApi = {
  get: (wid: string, id: string) => request<ProactiveRule>('GET', proactivePath(wid, id)),
  save: (wid: string, id: string, body: ProactiveRuleBody) =>
    request<ProactiveRule>('PUT', proactivePath(wid, id), body),
};
