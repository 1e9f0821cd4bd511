import type { ApiTokenScope } from '../../../protocol/api-tokens.js';

/** The site backend behind a request authenticated with an API token. */
export interface ApiTokenPrincipal {
  tokenId: string;
  workspaceId: string;
  name: string;
  scopes: readonly ApiTokenScope[];
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by access control when the request carried an API token; `agent` is then null. */
    apiToken: ApiTokenPrincipal | null;
  }
}
