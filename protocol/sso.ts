import { type Static, Type } from '@sinclair/typebox';
import { Id, IsoTime, Role } from './common.js';
import { Closed } from './responses.js';

/** Company sign-in with OpenID Connect: a workspace's providers, their group mappings, SSO-only. */
export const SSO_LIMITS = {
  maxProvidersPerWorkspace: 10,
  maxNameChars: 60,
  maxUrlChars: 500,
  maxClientIdChars: 300,
  maxClientSecretChars: 500,
  maxScopes: 10,
  maxScopeChars: 60,
  maxMappings: 50,
  maxGroupChars: 200,
  maxDomains: 20,
  maxDomainChars: 253,
  maxAcrValues: 5,
  /** A logout token is a signed JWT: a few kilobytes at most. */
  maxLogoutTokenChars: 8192,
} as const;

export const RoleMapping = Closed({
  /** A value of the provider's groups claim (a group name, or an id as Entra ID sends them). */
  group: Type.String({ minLength: 1, maxLength: SSO_LIMITS.maxGroupChars, pattern: '\\S' }),
  role: Role,
});
export type RoleMapping = Static<typeof RoleMapping>;

const Domain = Type.String({
  minLength: 3,
  maxLength: SSO_LIMITS.maxDomainChars,
  pattern: '^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?(\\.[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)+$',
});

const providerFields = {
  /** Shown on the sign-in button: "Sign in with <name>". */
  name: Type.String({ minLength: 1, maxLength: SSO_LIMITS.maxNameChars, pattern: '\\S' }),
  issuer: Type.String({ minLength: 8, maxLength: SSO_LIMITS.maxUrlChars, pattern: '^https?://' }),
  clientId: Type.String({ minLength: 1, maxLength: SSO_LIMITS.maxClientIdChars, pattern: '^\\S+$' }),
  /** Besides `openid`, which is always asked for. */
  scopes: Type.Array(
    Type.String({ minLength: 1, maxLength: SSO_LIMITS.maxScopeChars, pattern: '^[\\x21-\\x7e]+$' }),
    {
      maxItems: SSO_LIMITS.maxScopes,
    },
  ),
  groupsClaim: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_:./-]+$' }),
  mappings: Type.Array(RoleMapping, { maxItems: SSO_LIMITS.maxMappings }),
  /** Email domains whose people see this provider's button on the sign-in screen. */
  domains: Type.Array(Domain, { minItems: 1, maxItems: SSO_LIMITS.maxDomains }),
  /** Link a provider identity to an existing account with the same email, if the provider verified it. */
  linkExistingAccounts: Type.Boolean(),
  /** Take the provider's word for a second factor (`amr` or `acr`) instead of asking for Parley's. */
  trustProviderMfa: Type.Boolean(),
  /** `acr` values that count as multi-factor; empty: only `amr` counts. */
  mfaAcrValues: Type.Array(Type.String({ minLength: 1, maxLength: 200, pattern: '^\\S+$' }), {
    maxItems: SSO_LIMITS.maxAcrValues,
  }),
};

export const CreateOidcProviderBody = Type.Object(
  {
    ...providerFields,
    clientSecret: Type.String({ minLength: 1, maxLength: SSO_LIMITS.maxClientSecretChars }),
  },
  { additionalProperties: false },
);
export type CreateOidcProviderBody = Static<typeof CreateOidcProviderBody>;

/** An edit: the secret stays as it is unless a new one is given. */
export const UpdateOidcProviderBody = Type.Object(
  {
    ...providerFields,
    clientSecret: Type.Optional(Type.String({ minLength: 1, maxLength: SSO_LIMITS.maxClientSecretChars })),
  },
  { additionalProperties: false },
);
export type UpdateOidcProviderBody = Static<typeof UpdateOidcProviderBody>;

/** A provider as administrators see it: never the client secret. */
export const OidcProvider = Closed({
  id: Id,
  name: Type.String(),
  issuer: Type.String(),
  clientId: Type.String(),
  scopes: Type.Array(Type.String()),
  groupsClaim: Type.String(),
  mappings: Type.Array(RoleMapping),
  domains: Type.Array(Type.String()),
  linkExistingAccounts: Type.Boolean(),
  trustProviderMfa: Type.Boolean(),
  mfaAcrValues: Type.Array(Type.String()),
  /** Where the provider must send people back (register it there). */
  redirectUri: Type.String(),
  /** Where the provider posts back-channel logout tokens (register it there). */
  backchannelLogoutUri: Type.String(),
  /**
   * The last periodic re-check of the people this provider signed in: when, whether the provider
   * answered, and counts (accounts asked about, access ended, roles changed). Null before the first.
   */
  lastRecheck: Type.Union([
    Closed({
      at: IsoTime,
      result: Type.Union([Type.Literal('ok'), Type.Literal('unreachable')]),
      accounts: Type.Integer({ minimum: 0 }),
      ended: Type.Integer({ minimum: 0 }),
      roleChanges: Type.Integer({ minimum: 0 }),
    }),
    Type.Null(),
  ]),
  createdAt: IsoTime,
  updatedAt: IsoTime,
});
export type OidcProvider = Static<typeof OidcProvider>;

export const OidcProviderList = Closed({ items: Type.Array(OidcProvider) });

export const SsoSettings = Closed({
  /** Passwords are off for the workspace; its setup administrator keeps a break-glass password. */
  ssoOnly: Type.Boolean(),
});
export type SsoSettings = Static<typeof SsoSettings>;
export const SsoSettingsBody = Type.Object({ ssoOnly: Type.Boolean() }, { additionalProperties: false });

export const ProviderParams = Type.Object(
  { workspaceId: Id, providerId: Id },
  { additionalProperties: false },
);
export const StartParams = Type.Object({ providerId: Id }, { additionalProperties: false });

/** The sign-in screen asks which providers serve an email's domain; the answer never depends on the account. */
export const SignInOptionsQuery = Type.Object(
  { email: Type.String({ minLength: 3, maxLength: 320, pattern: '^[^@\\s]+@[^@\\s]+$' }) },
  { additionalProperties: false },
);
export const SignInOptions = Closed({
  providers: Type.Array(Closed({ id: Id, name: Type.String() })),
});
export type SignInOptions = Static<typeof SignInOptions>;

/** A redirect: no body, only `Location` (the start and the callback of a sign-in). */
export const Redirect = Type.Unsafe<undefined>(
  Type.Null({ description: 'redirect; see the Location header' }),
);

/** What a provider sends back; everything optional, the command judges what is missing. */
export const CallbackQuery = Type.Object(
  {
    code: Type.Optional(Type.String({ maxLength: 2048 })),
    state: Type.Optional(Type.String({ maxLength: 200 })),
    error: Type.Optional(Type.String({ maxLength: 200 })),
    error_description: Type.Optional(Type.String({ maxLength: 1000 })),
    iss: Type.Optional(Type.String({ maxLength: SSO_LIMITS.maxUrlChars })),
    session_state: Type.Optional(Type.String({ maxLength: 500 })),
    scope: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);

export const BackchannelLogoutBody = Type.Object(
  { logout_token: Type.String({ minLength: 20, maxLength: SSO_LIMITS.maxLogoutTokenChars }) },
  { additionalProperties: false },
);

/**
 * Why an OpenID Connect sign-in did not finish: the callback sends the browser to
 * `/login?sso_error=<reason>` and the sign-in screen says it in words.
 */
export const SSO_ERRORS = {
  sso_failed: 'Sign-in with your company account did not work. Try again, or ask your administrator.',
  sso_expired: 'The sign-in took too long or was already used. Start again.',
  sso_no_role:
    'Your company account is not in a group that has access to Parley. Ask your administrator to give your group a role.',
  sso_link_refused:
    'An account with your email already exists and cannot be joined to your company sign-in. Ask your administrator.',
  sso_disabled: 'Your account is disabled.',
  sso_cancelled: 'Sign-in was cancelled at your company sign-in page.',
  sso_unavailable:
    'The company sign-in provider cannot be reached right now. Try again later, or ask your administrator.',
} as const;
export type SsoErrorReason = keyof typeof SSO_ERRORS;
