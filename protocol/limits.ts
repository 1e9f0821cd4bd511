/** Limits shared by server, widget and dashboard. Changing one is a protocol change: update docs/PROTOCOL.md. */
export const LIMITS = {
  /** Largest WebSocket frame the server accepts, in bytes. Larger frames close the socket with 1009. */
  maxFrameBytes: 16 * 1024,
  /** Longest message body, in characters (UTF-16 code units). */
  maxMessageChars: 4000,
  /** Client message ids: 16 to 64 characters of [A-Za-z0-9_-] (128 random bits, base64url, is 22). */
  minClientIdChars: 16,
  maxClientIdChars: 64,
  /** Per-socket frame budget: a token bucket refilled at this rate, holding at most `frameBurst`. */
  framesPerSecond: 20,
  frameBurst: 40,
  /** A socket that keeps exceeding its budget this many times in a row is closed with 1008. */
  rateLimitStrikes: 50,
  /** Server pings every interval; a socket that misses two pongs is closed. */
  heartbeatIntervalMs: 25_000,
  /** A WebSocket ticket is valid this long after it is issued, and for one handshake only. */
  ticketTtlMs: 30_000,
  /** Replay pages when a client resumes; the gap is sent in full, page by page. */
  replayPageSize: 200,
  maxAllowedOrigins: 20,
  maxWidgetNameChars: 80,
  maxGreetingChars: 500,
  maxNameChars: 100,
  maxEmailChars: 254,
  minPasswordChars: 12,
  maxPasswordChars: 256,
  listPageSize: 50,
  /** The embedding site's user id in identity verification (docs/PROTOCOL.md §2.6). */
  maxUserIdChars: 200,
  /** Visitor profile: custom fields per visitor and characters per value. */
  maxCustomFields: 20,
  maxCustomFieldChars: 500,
  /** Retention bounds: visitor data TTL from ten seconds to a year; history up to ten years. */
  minVisitorDataTtlSeconds: 10,
  maxVisitorDataTtlSeconds: 365 * 86_400,
  maxHistoryHours: 87_600,
} as const;
