/** What other modules may read of workspaces. */
export { findWorkspace, oldestWorkspace } from './workspace.repository.js';
