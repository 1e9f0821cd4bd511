import type {
  CreateOidcProviderBody,
  OidcProvider,
  SignInOptions,
  SsoSettings,
  UpdateOidcProviderBody,
} from '../../protocol/sso.js';
import { request } from './api.js';

/** Company sign-in: the sign-in screen's buttons and the administrators' settings (PROTOCOL.md §2.23). */
export const ssoApi = {
  options: (email: string) =>
    request<SignInOptions>('GET', `/auth/oidc/options?email=${encodeURIComponent(email)}`),
  /** A navigation, not a fetch: the browser goes to the provider and comes back signed in. */
  startUrl: (providerId: string) => `/api/v1/auth/oidc/${encodeURIComponent(providerId)}/start`,
  list: (wid: string) => request<{ items: OidcProvider[] }>('GET', `/workspaces/${wid}/sso/providers`),
  create: (wid: string, body: CreateOidcProviderBody) =>
    request<OidcProvider>('POST', `/workspaces/${wid}/sso/providers`, body),
  update: (wid: string, id: string, body: UpdateOidcProviderBody) =>
    request<OidcProvider>('PUT', `/workspaces/${wid}/sso/providers/${id}`, body),
  remove: (wid: string, id: string) => request<void>('DELETE', `/workspaces/${wid}/sso/providers/${id}`),
  settings: (wid: string) => request<SsoSettings>('GET', `/workspaces/${wid}/sso/settings`),
  setSettings: (wid: string, body: SsoSettings) =>
    request<SsoSettings>('PUT', `/workspaces/${wid}/sso/settings`, body),
};
