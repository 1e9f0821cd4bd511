import type {
  ApiToken,
  CertificateBindingBody,
  CreateApiTokenBody,
  CreatedApiToken,
} from '../../../protocol/api-tokens.js';
import type { WidgetIdentitySecret } from '../../../protocol/identity.js';
import { request } from '../api.js';

const ws = (workspaceId: string) => `/workspaces/${encodeURIComponent(workspaceId)}`;

/** API tokens and widget identity secrets: administrators' calls. */
export const tokenApi = {
  listApiTokens: (wid: string) => request<{ items: ApiToken[] }>('GET', `${ws(wid)}/api-tokens`),
  createApiToken: (wid: string, body: CreateApiTokenBody) =>
    request<CreatedApiToken>('POST', `${ws(wid)}/api-tokens`, body),
  revokeApiToken: (wid: string, id: string) =>
    request<ApiToken>('POST', `${ws(wid)}/api-tokens/${encodeURIComponent(id)}/revoke`, {}),
  bindCertificate: (wid: string, id: string, body: CertificateBindingBody) =>
    request<ApiToken>('PUT', `${ws(wid)}/api-tokens/${encodeURIComponent(id)}/certificate`, body),
  getIdentitySecret: (wid: string, widgetId: string) =>
    request<WidgetIdentitySecret>(
      'GET',
      `${ws(wid)}/widgets/${encodeURIComponent(widgetId)}/identity-secret`,
    ),
  rotateIdentitySecret: (wid: string, widgetId: string) =>
    request<WidgetIdentitySecret>(
      'POST',
      `${ws(wid)}/widgets/${encodeURIComponent(widgetId)}/identity-secret/rotate`,
      {},
    ),
};
