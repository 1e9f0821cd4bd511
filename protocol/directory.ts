import { type Static, Type } from '@sinclair/typebox';
import { Id, IsoTime, Role } from './common.js';
import { Closed } from './responses.js';

/** Limits of a directory's settings: long enough for real DNs and CA bundles, bounded all the same. */
export const DIRECTORY_LIMITS = { maxDnChars: 1000, maxCaPemChars: 20_000, maxMappings: 50 } as const;

const Dn = Type.String({
  minLength: 3,
  maxLength: DIRECTORY_LIMITS.maxDnChars,
  pattern: '^[^\\r\\n\\u0000]*=[^\\r\\n\\u0000]*$',
});
const Domain = Type.String({
  minLength: 3,
  maxLength: 253,
  pattern: '^(?=.{3,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}$',
});
export const LdapUrl = Type.String({
  minLength: 10,
  maxLength: 500,
  pattern: '^ldaps?://[A-Za-z0-9.\\-\\[\\]:]+(:\\d{1,5})?/?$',
});
export const UserAttribute = Type.Union([
  Type.Literal('uid'),
  Type.Literal('sAMAccountName'),
  Type.Literal('mail'),
]);
export const GroupMode = Type.Union([Type.Literal('memberOf'), Type.Literal('search')]);
export const RoleMapping = Type.Object({ groupDn: Dn, role: Role }, { additionalProperties: false });

/** What an administrator saves. `bindPassword` omitted keeps the saved one (it is never shown again). */
export const DirectorySettingsBody = Type.Object(
  {
    emailDomain: Domain,
    url: LdapUrl,
    startTls: Type.Boolean(),
    caPem: Type.Union([
      Type.String({ minLength: 1, maxLength: DIRECTORY_LIMITS.maxCaPemChars }),
      Type.Null(),
    ]),
    bindDn: Dn,
    bindPassword: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })),
    baseDn: Dn,
    userAttribute: UserAttribute,
    groupMode: GroupMode,
    groupBaseDn: Type.Union([Dn, Type.Null()]),
    enabled: Type.Boolean(),
    mappings: Type.Array(RoleMapping, { maxItems: DIRECTORY_LIMITS.maxMappings }),
  },
  { additionalProperties: false },
);
export type DirectorySettingsBody = Static<typeof DirectorySettingsBody>;

export const Directory = Closed({
  id: Id,
  emailDomain: Type.String(),
  url: Type.String(),
  startTls: Type.Boolean(),
  caPem: Type.Union([Type.String(), Type.Null()]),
  bindDn: Type.String(),
  baseDn: Type.String(),
  userAttribute: UserAttribute,
  groupMode: GroupMode,
  groupBaseDn: Type.Union([Type.String(), Type.Null()]),
  enabled: Type.Boolean(),
  mappings: Type.Array(Closed({ groupDn: Type.String(), role: Role })),
  updatedAt: IsoTime,
});
export type Directory = Static<typeof Directory>;

/** The screen's state: the saved directory (or none) and whether this server allows plain LDAP. */
export const DirectoryState = Closed({
  directory: Type.Union([Directory, Type.Null()]),
  plainAllowed: Type.Boolean(),
});
export type DirectoryState = Static<typeof DirectoryState>;

export const DirectoryTestStep = Type.Union([
  Type.Literal('unreachable'),
  Type.Literal('tls'),
  Type.Literal('service_bind'),
  Type.Literal('search'),
]);

/** A connection test's answer: which step failed, in words; never a password or a server's banner. */
export const DirectoryTestResult = Closed({
  ok: Type.Boolean(),
  failedStep: Type.Union([DirectoryTestStep, Type.Null()]),
  message: Type.String(),
});
export type DirectoryTestResult = Static<typeof DirectoryTestResult>;
