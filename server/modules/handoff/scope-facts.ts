import type { QueryState } from '../../platform/db/schema-service.js';

/** Where a principal may look (the policy is in scope.ts). */
export type Scope =
  | { kind: 'workspace'; workspaceId: string }
  | { kind: 'confined'; workspaceId: string; userId: string; teamIds: readonly string[] }
  | { kind: 'visitor'; workspaceId: string; visitorId: string };

/** What the policy looks at: the conversation's workspace and visitor, and its current query. */
export interface ScopeFacts {
  workspaceId: string;
  /** Null when only the query is known (a query read on its own). */
  visitorId: string | null;
  queryState: QueryState | null;
  assigneeId: string | null;
  teamId: string | null;
}
