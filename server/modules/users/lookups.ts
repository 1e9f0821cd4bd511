/** What other modules (sign-in, setup, audit) may read of users and memberships. */
export {
  countMembers,
  countUsers,
  findFirstAdministrator,
  findMembership,
  findUserByEmail,
  findUserById,
  listMembers,
  normalizeEmail,
} from './user.repository.js';
