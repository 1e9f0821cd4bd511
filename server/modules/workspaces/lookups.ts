/** What other modules may read of workspaces. */
export { findWorkspace, listWorkspaceIds, oldestWorkspace } from './workspace.repository.js';
