/** What other modules (reports) may read of teams: their ids and names. */
export { listTeams } from './team.repository.js';
