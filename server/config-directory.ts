/**
 * Settings for company sign-in through an LDAP / Active Directory server, the OpenID Connect
 * re-check, and client certificates bound to API tokens. They are part of SETTINGS in config.ts (and so of the README
 * table); this file only parses them from the values config.ts hands over.
 */
export const DIRECTORY_SETTINGS = {
  PARLEY_LDAP_ALLOW_PLAIN: {
    default: 'false',
    doc: 'true lets administrators save a directory on plain ldap:// without StartTLS: passwords then cross the network readable. Only for a directory on the same host or a test; the start log warns.',
  },
  PARLEY_LDAP_RECHECK_SECONDS: {
    default: '300',
    doc: 'How often (30–86400 s) one node looks up every directory-backed account that has a live session; one gone, disabled or without a mapped group loses its sessions and sockets.',
  },
  PARLEY_OIDC_RECHECK_SECONDS: {
    default: '30',
    doc: 'How often (10–3600 s) one node asks each OpenID provider about every account that signed in through it and has a live session (refresh token, else userinfo). A revoked grant, a deleted account or no mapped group ends the sessions and sockets; a changed group changes the role. Keep it at most 45 for “within a minute”.',
  },
  PARLEY_LDAP_TIMEOUT_MS: {
    default: '5000',
    doc: 'How long (500–60000 ms) a directory connection or operation may take before the sign-in or check counts the directory as unreachable.',
  },
  PARLEY_TLS_REQUEST_CLIENT_CERT: {
    default: 'false',
    doc: 'true: when Parley serves TLS itself it asks clients for a certificate (never requires one), so API tokens bound to a client certificate can be used. Browsers without one are not affected.',
  },
  PARLEY_CLIENT_CERT_HEADER: {
    default: '(unset)',
    doc: 'Header in which a TLS proxy forwards the client certificate it verified, URL-encoded PEM (nginx: $ssl_client_escaped_cert). Read only from PARLEY_TRUSTED_PROXIES addresses; a proxy must overwrite it on every request.',
  },
} as const;

export interface DirectoryConfig {
  readonly allowPlain: boolean;
  readonly recheckSeconds: number;
  readonly timeoutMs: number;
}

export interface OidcConfig {
  readonly recheckSeconds: number;
}

export interface ClientCertConfig {
  readonly requestFromTls: boolean;
  /** Lower-case header name, or null when no proxy forwards certificates. */
  readonly header: string | null;
}

type Key = keyof typeof DIRECTORY_SETTINGS;

export function readDirectory(o: {
  get: (key: Key) => string | undefined;
  int: (key: Key, min: number, max: number) => number;
  problems: string[];
}): { directory: DirectoryConfig; clientCert: ClientCertConfig; oidc: OidcConfig } {
  const bool = (key: Key) => {
    const raw = (o.get(key) ?? 'false').trim().toLowerCase();
    if (raw !== 'true' && raw !== 'false') o.problems.push(`${key} must be true or false.`);
    return raw === 'true';
  };
  const header = o.get('PARLEY_CLIENT_CERT_HEADER')?.trim().toLowerCase() || null;
  if (header !== null && !/^x-[a-z0-9-]{1,60}$/.test(header))
    o.problems.push('PARLEY_CLIENT_CERT_HEADER must be a header name starting with x- (e.g. x-client-cert).');
  return {
    directory: {
      allowPlain: bool('PARLEY_LDAP_ALLOW_PLAIN'),
      recheckSeconds: o.int('PARLEY_LDAP_RECHECK_SECONDS', 30, 86_400),
      timeoutMs: o.int('PARLEY_LDAP_TIMEOUT_MS', 500, 60_000),
    },
    clientCert: { requestFromTls: bool('PARLEY_TLS_REQUEST_CLIENT_CERT'), header },
    oidc: { recheckSeconds: o.int('PARLEY_OIDC_RECHECK_SECONDS', 10, 3600) },
  };
}
