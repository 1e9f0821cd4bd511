import type { Role } from '../../protocol/common.js';

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
  { label: 'Archives', href: '/archives', roles: ['administrator'] },
];
