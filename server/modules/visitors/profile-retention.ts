/** What retention may do to visitor profiles: find those past their TTL and delete them. */
export { deleteProfiles, selectExpiredProfiles } from './profile-retention.repository.js';
