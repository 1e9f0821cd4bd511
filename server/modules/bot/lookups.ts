/** What other modules may read of the bot's tables. */
export { findFlowNames } from './flow.repository.js';
