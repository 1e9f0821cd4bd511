import type { Role } from '../../../protocol/common.js';

export const ROLE_LABEL: Readonly<Record<Role, string>> = {
  administrator: 'Administrator',
  supervisor: 'Supervisor',
  operator: 'Operator',
};

/** What each role may do, in the words the invite form and the team table use. */
export const ROLE_HINT: Readonly<Record<Role, string>> = {
  administrator: 'Everything, including the team, widgets and security settings.',
  supervisor: 'All conversations, the team list and the audit log; no user or security management.',
  operator: 'Conversations in the inbox; no settings.',
};

export const ROLE_OPTIONS = (['operator', 'supervisor', 'administrator'] as const).map((r) => ({
  value: r,
  label: ROLE_LABEL[r],
}));

/** What a screen shows a role that may not use it (the API refuses them as well). */
export const NOT_FOR_ROLE = 'You do not have permission to use this page. Ask an administrator.';
