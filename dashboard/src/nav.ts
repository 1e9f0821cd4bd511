import type { Permission } from '../../protocol/permissions.js';

/**
 * Top-level sections. A later section is one entry here plus its routes in routes.tsx. `permission`
 * is what the server's permission matrix (protocol/permissions.ts) requires of the screen's API:
 * a section shows only for roles that have it, so the navigation never offers what the API refuses.
 */
export interface NavItem {
  label: string;
  href: string;
  permission?: Permission;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { label: 'Inbox', href: '/inbox', permission: 'conversations.read' },
  { label: 'Widgets', href: '/widgets', permission: 'widgets.read' },
  { label: 'Channels', href: '/settings/channels', permission: 'widgets.manage' },
  { label: 'Knowledge base', href: '/knowledge', permission: 'knowledge.read' },
  { label: 'Leads', href: '/leads', permission: 'leads.read' },
  { label: 'Team', href: '/team', permission: 'users.read' },
  { label: 'Service', href: '/settings/service', permission: 'service.manage' },
  { label: 'Reports', href: '/reports', permission: 'reports.read' },
  { label: 'Audit log', href: '/audit', permission: 'audit.read' },
  // Shown whether or not SMTP is configured: the screen explains which mode is active.
  { label: 'Outbox', href: '/outbox', permission: 'users.manage' },
  { label: 'Security', href: '/settings/security', permission: 'security.manage' },
  { label: 'Company sign-in', href: '/settings/sign-in', permission: 'security.manage' },
  { label: 'Alerts', href: '/settings/alerts', permission: 'security.manage' },
  { label: 'Directory', href: '/settings/directory', permission: 'security.manage' },
  { label: 'API tokens', href: '/api-tokens', permission: 'tokens.manage' },
  { label: 'Account', href: '/account' },
  { label: 'Archives', href: '/archives', permission: 'archives.read' },
];
