import { type Static, Type } from '@sinclair/typebox';
import { Id } from './common.js';

/**
 * Voice and video calls (docs/PROTOCOL.md, "Calls"). Parley only carries the signalling: the media
 * flows between the two browsers (or through the operator's TURN server), never through Parley.
 */
export const CALL_LIMITS = {
  /** A call token is good for this long, and for one join, by the socket that asked for it. */
  tokenTtlSeconds: 30,
  /** Tokens one principal may ask for: a burst, then one per `tokenRefillSeconds`. */
  tokenBurst: 5,
  tokenRefillSeconds: 10,
  /** A call nobody accepted within this long is missed. */
  ringSeconds: 45,
  /** A session description; a video offer with many codecs stays well under it. */
  maxSdpChars: 12_000,
  maxCandidateChars: 1_024,
} as const;

const Rid = Type.Optional(Type.String({ minLength: 1, maxLength: 64 }));
export const CallId = Id;
export const CallMedia = Type.Union([Type.Literal('audio'), Type.Literal('video')]);
export type CallMedia = Static<typeof CallMedia>;
/** 256 bits, base64url. */
export const CallToken = Type.String({ minLength: 43, maxLength: 43, pattern: '^[A-Za-z0-9_-]+$' });

/** Agents: offer a call to the conversation's visitor. */
export const CallOfferFrame = Type.Object(
  { type: Type.Literal('call.offer'), rid: Rid, conversationId: Id, media: CallMedia },
  { additionalProperties: false },
);
/** Either side of a call: a single-use token to join it from this socket. */
export const CallTokenFrame = Type.Object(
  { type: Type.Literal('call.token'), rid: Rid, callId: CallId },
  { additionalProperties: false },
);
/** Join the call's room from this socket; the visitor joining a ringing call accepts it. */
export const CallJoinFrame = Type.Object(
  { type: Type.Literal('call.join'), rid: Rid, callId: CallId, token: CallToken },
  { additionalProperties: false },
);
/** The visitor says no to a ringing call. */
export const CallDeclineFrame = Type.Object(
  { type: Type.Literal('call.decline'), rid: Rid, callId: CallId },
  { additionalProperties: false },
);
/** Either side ends the call (the agent may also withdraw an offer nobody answered). */
export const CallEndFrame = Type.Object(
  { type: Type.Literal('call.end'), rid: Rid, callId: CallId },
  { additionalProperties: false },
);

/**
 * What WebRTC needs carried to the other side. SDP is length-limited by the schema only loosely (the
 * frame limit); its own limit and shape are checked after, with their own error codes.
 */
export const CallSignal = Type.Union([
  Type.Object(
    {
      kind: Type.Union([Type.Literal('offer'), Type.Literal('answer')]),
      sdp: Type.String({ minLength: 1, maxLength: 16_384 }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('candidate'),
      candidate: Type.String({ minLength: 0, maxLength: CALL_LIMITS.maxCandidateChars }),
      sdpMid: Type.Union([Type.String({ maxLength: 64 }), Type.Null()]),
      sdpMLineIndex: Type.Union([Type.Integer({ minimum: 0, maximum: 64 }), Type.Null()]),
    },
    { additionalProperties: false },
  ),
]);
export type CallSignal = Static<typeof CallSignal>;
export const CallSignalFrame = Type.Object(
  { type: Type.Literal('call.signal'), rid: Rid, callId: CallId, signal: CallSignal },
  { additionalProperties: false },
);

export const CALL_FRAMES = {
  'call.offer': CallOfferFrame,
  'call.token': CallTokenFrame,
  'call.join': CallJoinFrame,
  'call.decline': CallDeclineFrame,
  'call.end': CallEndFrame,
  'call.signal': CallSignalFrame,
} as const;

/** An RTCIceServer as the browser takes it; TURN entries carry short-lived credentials. */
export interface IceServer {
  urls: string[];
  username?: string;
  credential?: string;
}

export type CallRole = 'agent' | 'visitor';
/**
 * Why a call ended: `ended` (a side hung up), `declined`, `missed` (nobody answered, or the agent
 * withdrew it), `left` (a side's socket closed: sign-out, lost connection), `access_ended` (the
 * conversation left the agent's scope), `erased` (the visitor's data was erased), `lost` (a side's
 * node stopped answering: its seat was not renewed, and the call sweep ended the call).
 */
export type CallEndReason = 'ended' | 'declined' | 'missed' | 'left' | 'access_ended' | 'erased' | 'lost';

export type CallServerFrame =
  /** Answers `call.offer`. */
  | { type: 'call.created'; rid?: string; callId: string; conversationId: string; media: CallMedia }
  /** To the visitor's sockets: a call rings. */
  | {
      type: 'call.offered';
      callId: string;
      conversationId: string;
      media: CallMedia;
      agent: { id: string; name: string };
    }
  /** Answers `call.token`: use it within `expiresAt`, once, from this socket. */
  | {
      type: 'call.token';
      rid?: string;
      callId: string;
      token: string;
      expiresAt: string;
      iceServers: IceServer[];
    }
  /** Answers `call.join`: this socket is in the room as `role`. */
  | { type: 'call.joined'; rid?: string; callId: string; role: CallRole; state: 'ringing' | 'active' }
  /** To both sides when the visitor accepted: the agent's side sends the WebRTC offer now. */
  | { type: 'call.accepted'; callId: string }
  /** From the other side of the room. */
  | { type: 'call.signal'; callId: string; from: CallRole; signal: CallSignal }
  /** To everyone in the room, and to the visitor's sockets while it rang; nothing of it works any more. */
  | {
      type: 'call.ended';
      rid?: string;
      callId: string;
      conversationId: string;
      reason: CallEndReason;
      durationSeconds: number;
    };
