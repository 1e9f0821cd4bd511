/** WebSocket close codes Parley uses. 4000–4999 are application codes, documented in docs/PROTOCOL.md. */
export const CLOSE = {
  normal: 1000,
  goingAway: 1001,
  policyViolation: 1008,
  tooLarge: 1009,
  serverError: 1011,
  /** The node is restarting or stopping (SIGTERM): reconnect now, with your last seqs and unacked messages. */
  serviceRestart: 1012,
  /** The session or visitor credential behind this socket ended (logout, revoke, expiry, disable). */
  sessionEnded: 4001,
  /** The socket missed its heartbeats. */
  heartbeatTimeout: 4002,
  /** The socket kept exceeding its frame budget. */
  rateLimited: 4008,
} as const;

/** Sub-protocol every Parley socket negotiates; the server echoes it. */
export const WS_PROTOCOL = 'parley.v1';
/** Visitors present their ticket as a second offered sub-protocol: `parley.ticket.<ticket>`. */
export const WS_TICKET_PREFIX = 'parley.ticket.';
export const WS_PATH = '/ws';
