import { type Static, Type } from '@sinclair/typebox';
import { Id, IsoTime } from './common.js';

/**
 * API tokens: how a site's backend calls the REST API. A token looks like
 * `prt_<8 characters>_<43 characters>`; the part after `prt_` up to the second `_` is its public id
 * (shown in the dashboard, safe to log), the rest is the secret. See docs/PROTOCOL.md §2.5.
 */
export const API_TOKEN_PREFIX = 'prt_';
export const API_TOKEN_PATTERN = /^prt_([a-z0-9]{8})_([A-Za-z0-9_-]{43})$/;

/** What a token may be used for. Each route that accepts tokens names the one scope it needs. */
export const API_TOKEN_SCOPES = [
  'conversations:read',
  'messages:write',
  'visitors:read',
  'visitors:erase',
] as const;
export type ApiTokenScope = (typeof API_TOKEN_SCOPES)[number];

export const API_TOKEN_LIMITS = {
  maxNameChars: 80,
  maxExpiryDays: 730,
} as const;

export const ApiTokenScopeSchema = Type.Union(API_TOKEN_SCOPES.map((s) => Type.Literal(s)));

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
  },
  { additionalProperties: false },
);
export type CreateApiTokenBody = Static<typeof CreateApiTokenBody>;

export const ApiToken = Type.Object({
  id: Id,
  name: Type.String(),
  /** `prt_<public id>`: enough to recognise the token, useless to use it. */
  prefix: Type.String(),
  scopes: Type.Array(ApiTokenScopeSchema),
  createdAt: IsoTime,
  expiresAt: Type.Union([IsoTime, Type.Null()]),
  lastUsedAt: Type.Union([IsoTime, Type.Null()]),
  revokedAt: Type.Union([IsoTime, Type.Null()]),
});
export type ApiToken = Static<typeof ApiToken>;

/** The one response that carries the whole token. It is never shown again. */
export const CreatedApiToken = Type.Object({ apiToken: ApiToken, token: Type.String() });
export type CreatedApiToken = Static<typeof CreatedApiToken>;
