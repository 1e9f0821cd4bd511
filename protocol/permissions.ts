import type { Role } from './common.js';
import type { ClientFrameType } from './ws.js';

/**
 * The permission matrix: the one place that says what each role may do. The server enforces it on
 * every route and socket action (the authorization test checks each against it), the dashboard's
 * navigation reads it, and docs/SECURITY.md shows it.
 */
export const PERMISSIONS = [
  'widgets.read',
  'widgets.manage',
  'conversations.read',
  'conversations.reply',
  /** See the team: who is a member, their role, when they were last active. */
  'users.read',
  /** Invite, change roles, disable, delete, end other users' sessions, read the mail outbox. */
  'users.manage',
  'audit.read',
  'security.manage',
  'tokens.manage',
  /** Read and search the knowledge base (operators use it to answer). */
  'knowledge.read',
  /** Write, publish and delete knowledge-base articles the bot answers from. */
  'knowledge.manage',
  // Data protection: unmasked visitor data; a visitor's export and erasure; retention and archives.
  'personal-data.read',
  'visitors.export',
  'visitors.erase',
  'retention.manage',
  'archives.read',
  /** Supervise the handoff: see every conversation (not only assigned or queued ones), reassign queries. */
  'queries.manage',
  /** Teams, agent capacity, resolution codes and canned responses. */
  'service.manage',
  /** Service reports: response and handle times, resolution and bot containment rates, ratings. */
  'reports.read',
  /** The leads flows collected (visitors who gave an email), across the workspace. */
  'leads.read',
  /** The workspace's conversation labels: create, rename, recolour, delete. */
  'labels.manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLE_PERMISSIONS: Readonly<Record<Role, ReadonlySet<Permission>>> = {
  administrator: new Set(PERMISSIONS),
  supervisor: new Set<Permission>([
    'widgets.read',
    'conversations.read',
    'conversations.reply',
    'users.read',
    'audit.read',
    'knowledge.read',
    'personal-data.read',
    'queries.manage',
    'service.manage',
    'reports.read',
    'leads.read',
  ]),
  operator: new Set<Permission>(['conversations.read', 'conversations.reply', 'knowledge.read']),
};

export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].has(permission);
}

/**
 * What an agent's role needs for each WebSocket action (null: nothing beyond a live session).
 * Visitors are confined separately: their own conversation only, never the inbox.
 */
export const SOCKET_ACTION_PERMISSIONS: Readonly<Record<ClientFrameType, Permission | null>> = {
  subscribe: 'conversations.read',
  unsubscribe: null,
  'message.send': 'conversations.reply',
  typing: 'conversations.reply',
  'inbox.subscribe': 'conversations.read',
  receipt: 'conversations.read',
  ping: null,
  // A call is a way of replying: only who may write to the conversation may call or join.
  'call.offer': 'conversations.reply',
  'call.token': 'conversations.reply',
  'call.join': 'conversations.reply',
  'call.decline': 'conversations.reply',
  'call.end': null,
  'call.signal': null,
};

export const VISITOR_SOCKET_ACTIONS: ReadonlySet<ClientFrameType> = new Set<ClientFrameType>([
  'subscribe',
  'unsubscribe',
  'message.send',
  'typing',
  'receipt',
  'ping',
  'call.token',
  'call.join',
  'call.decline',
  'call.end',
  'call.signal',
]);
