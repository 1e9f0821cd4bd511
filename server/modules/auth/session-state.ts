/**
 * What other modules read and change of agent sessions: the realtime module keeps sockets as long as
 * their sessions live; a new MFA policy sends sessions to enrollment; deleting an account ends its
 * sessions and reset links.
 */
export {
  deleteSessionsOfUser,
  findSessionStates,
  requireEnrollment,
  touchSession,
} from './session.repository.js';
