import type { Role } from '../../protocol/common.js';
import { SERVICE_ROLES } from './lib/roles.js';

/**
 * Top-level sections. A later section (users, settings, security, audit log, bots, reports) is one
 * entry here plus its routes in routes.tsx; `roles` hides it from roles that may not use it.
 */
export interface NavItem {
  label: string;
  href: string;
  roles?: readonly Role[];
}

export const NAV_ITEMS: readonly NavItem[] = [
  { label: 'Inbox', href: '/inbox' },
  { label: 'Widgets', href: '/widgets' },
  { label: 'Knowledge base', href: '/knowledge' },
  { label: 'Leads', href: '/leads', roles: ['administrator', 'supervisor'] },
  { label: 'Team', href: '/team', roles: ['administrator', 'supervisor'] },
  { label: 'Service', href: '/settings/service', roles: SERVICE_ROLES },
  { label: 'Reports', href: '/reports', roles: SERVICE_ROLES },
  { label: 'Audit log', href: '/audit', roles: ['administrator', 'supervisor'] },
  // Shown whether or not SMTP is configured: the screen explains which mode is active.
  { label: 'Outbox', href: '/outbox', roles: ['administrator'] },
  { label: 'Security', href: '/settings/security', roles: ['administrator'] },
  { label: 'API tokens', href: '/api-tokens', roles: ['administrator'] },
  { label: 'Account', href: '/account' },
  { label: 'Archives', href: '/archives', roles: ['administrator'] },
];
