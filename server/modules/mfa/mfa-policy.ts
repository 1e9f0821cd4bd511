import type { Role } from '../../../protocol/common.js';
import type { MfaPolicy } from '../../../protocol/mfa.js';
import type { Executor } from '../../platform/db/schema.js';
import { findMfaPolicy } from './mfa-policy.repository.js';

const ROLES: readonly Role[] = ['administrator', 'supervisor', 'operator'];

/** The workspace's MFA requirement; no row means nobody is required to use MFA. */
export async function getMfaPolicy(db: Executor, workspaceId: string): Promise<MfaPolicy> {
  const row = await findMfaPolicy(db, workspaceId);
  if (!row) return { workspace: false, roles: [] };
  const roles = JSON.parse(row.required_roles) as Role[];
  return { workspace: Number(row.workspace_required) === 1, roles: ROLES.filter((r) => roles.includes(r)) };
}

export function policyCovers(policy: MfaPolicy, role: Role): boolean {
  return policy.workspace || policy.roles.includes(role);
}

export function coveredRoles(policy: MfaPolicy): Role[] {
  return ROLES.filter((r) => policyCovers(policy, r));
}

export async function isMfaRequired(db: Executor, workspaceId: string, role: Role): Promise<boolean> {
  return policyCovers(await getMfaPolicy(db, workspaceId), role);
}
