/** What other modules may read of visitors: the raw profile row (sealed) for archiving and export. */
export { findProfile, findVisitorInWorkspace } from './visitor-profile.repository.js';
