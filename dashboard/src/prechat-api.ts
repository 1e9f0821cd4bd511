import type { PrechatSettings, PrechatSettingsBody } from '../../protocol/prechat.js';
import { request } from './api.js';

const path = (wid: string, id: string) =>
  `/workspaces/${encodeURIComponent(wid)}/widgets/${encodeURIComponent(id)}/prechat`;

/** A widget's pre-chat form (administrators change it; everyone may read). */
export const prechatApi = {
  get: (wid: string, id: string) => request<PrechatSettings>('GET', path(wid, id)),
  save: (wid: string, id: string, body: PrechatSettingsBody) =>
    request<PrechatSettings>('PUT', path(wid, id), body),
};
