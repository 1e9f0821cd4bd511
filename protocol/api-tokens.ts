import { type Static, Type } from '@sinclair/typebox';
import { Id, IsoTime } from './common.js';
import { Closed } from './responses.js';

import { API_TOKEN_LIMITS, API_TOKEN_SCOPES } from './token-scopes.js';

export * from './token-scopes.js';

export const ApiTokenScopeSchema = Type.Union(API_TOKEN_SCOPES.map((s) => Type.Literal(s)));

/**
 * A client certificate a token must come with: exactly this certificate (its SHA-256, hex with or
 * without colons, as `openssl x509 -fingerprint -sha256` prints it), or any certificate this CA
 * (PEM) issued. One of the two; both null removes the binding.
 */
export const CertificateBindingBody = Type.Object(
  {
    sha256: Type.Union([
      Type.String({ minLength: 64, maxLength: 200, pattern: '^[0-9A-Fa-f: ]+$' }),
      Type.Null(),
    ]),
    caPem: Type.Union([
      Type.String({ minLength: 1, maxLength: API_TOKEN_LIMITS.maxCaPemChars }),
      Type.Null(),
    ]),
  },
  { additionalProperties: false },
);
export type CertificateBindingBody = Static<typeof CertificateBindingBody>;

/** How the dashboard shows a binding: never more than the fingerprint and the CA's subject. */
export const CertificateBinding = Closed({
  sha256: Type.Union([Type.String(), Type.Null()]),
  caSubject: Type.Union([Type.String(), Type.Null()]),
  caSha256: Type.Union([Type.String(), Type.Null()]),
});
export type CertificateBinding = Static<typeof CertificateBinding>;

export const CreateApiTokenBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: API_TOKEN_LIMITS.maxNameChars }),
    scopes: Type.Array(ApiTokenScopeSchema, {
      minItems: 1,
      maxItems: API_TOKEN_SCOPES.length,
      uniqueItems: true,
    }),
    /** Omit for a token that does not expire. */
    expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: API_TOKEN_LIMITS.maxExpiryDays })),
    /** Omit for a token usable without a client certificate. */
    certificate: Type.Optional(CertificateBindingBody),
  },
  { additionalProperties: false },
);
export type CreateApiTokenBody = Static<typeof CreateApiTokenBody>;

export const ApiToken = Closed({
  id: Id,
  name: Type.String(),
  /** `prt_<public id>`: enough to recognise the token, useless to use it. */
  prefix: Type.String(),
  scopes: Type.Array(ApiTokenScopeSchema),
  createdAt: IsoTime,
  expiresAt: Type.Union([IsoTime, Type.Null()]),
  lastUsedAt: Type.Union([IsoTime, Type.Null()]),
  revokedAt: Type.Union([IsoTime, Type.Null()]),
  /** Null: usable without a client certificate. */
  certificate: Type.Union([CertificateBinding, Type.Null()]),
});
export type ApiToken = Static<typeof ApiToken>;

/** The one response that carries the whole token. It is never shown again. */
export const CreatedApiToken = Closed({ apiToken: ApiToken, token: Type.String() });
export type CreatedApiToken = Static<typeof CreatedApiToken>;
