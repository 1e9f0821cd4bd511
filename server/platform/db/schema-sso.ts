/** Company sign-in with OpenID Connect (migration 2026-12-05-0501-oidc). */
export interface OidcProvidersTable {
  id: string;
  workspace_id: string;
  name: string;
  issuer: string;
  client_id: string;
  /** Sealed under the master key ring with the row as associated data (sso/client-secret.ts). */
  client_secret: string;
  /** JSON string[]: scopes besides `openid`. */
  scopes: string;
  groups_claim: string;
  /** JSON RoleMapping[]. */
  mappings: string;
  /** JSON string[]: lower-case email domains whose people see the provider on the sign-in screen. */
  domains: string;
  link_existing: number;
  trust_provider_mfa: number;
  /** JSON string[]. */
  mfa_acr_values: string;
  created_at: string;
  updated_at: string;
}

/** One sign-in under way: used once, within minutes, by the browser that started it. */
export interface OidcLoginStatesTable {
  id: string;
  workspace_id: string;
  provider_id: string;
  state_hash: string;
  /** Hash of the HttpOnly cookie the starting browser got: another browser's callback is refused. */
  browser_hash: string;
  nonce: string;
  /** Sealed under the key ring: the PKCE verifier is a secret until the code is redeemed. */
  code_verifier: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface OidcLinksTable {
  id: string;
  workspace_id: string;
  provider_id: string;
  subject: string;
  user_id: string;
  created_at: string;
  last_sign_in_at: string;
  /**
   * JSON `{ refresh?, access?, accessExpiresAt? }` sealed under the master key ring with the link as
   * associated data (sso/grant-tokens.ts); null when the provider gave no token worth keeping.
   */
  tokens: string | null;
  /** When the provider last confirmed the account (sign-in or re-check). */
  checked_at: string | null;
}

/** Which Parley session a provider session (`sid`) or subject opened: back-channel logout ends it. */
export interface OidcSessionsTable {
  session_id: string;
  workspace_id: string;
  provider_id: string;
  subject: string;
  sid: string | null;
  created_at: string;
  expires_at: string;
}

export interface SsoSettingsTable {
  workspace_id: string;
  sso_only: number;
  updated_at: string;
}

/** The last periodic re-check of one provider, for its screen (migration 2026-12-06-0201). */
export interface OidcProviderRechecksTable {
  provider_id: string;
  workspace_id: string;
  checked_at: string;
  /** 'ok' | 'unreachable' */
  result: string;
  accounts: number;
  ended: number;
  role_changes: number;
}

export interface SsoTables {
  oidc_providers: OidcProvidersTable;
  oidc_login_states: OidcLoginStatesTable;
  oidc_links: OidcLinksTable;
  oidc_sessions: OidcSessionsTable;
  sso_settings: SsoSettingsTable;
  oidc_provider_rechecks: OidcProviderRechecksTable;
}
