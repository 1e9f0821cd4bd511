import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { ErrorCode } from '../../../protocol/errors.js';
import { LIMITS } from '../../../protocol/limits.js';
import { findUnsafeText, UNSAFE_TEXT_DETAIL } from '../../../protocol/unsafe-text.js';
import { CLIENT_FRAMES, type ClientFrame } from '../../../protocol/ws.js';
import { describeErrors } from '../../platform/http/validator.js';

const checks = Object.fromEntries(
  Object.entries(CLIENT_FRAMES).map(([type, schema]) => [type, TypeCompiler.Compile(schema)]),
) as Record<string, ReturnType<typeof TypeCompiler.Compile>>;

export type FrameProblem = { code: ErrorCode; details?: string[]; rid?: string; clientId?: string };

/** Parses and validates one client frame; never throws. */
export function parseClientFrame(
  data: Buffer | string,
  isBinary: boolean,
): { frame: ClientFrame } | { problem: FrameProblem } {
  if (isBinary)
    return { problem: { code: 'invalid_frame', details: ['frames must be JSON text, not binary'] } };
  let value: unknown;
  try {
    value = JSON.parse(typeof data === 'string' ? data : data.toString('utf8'));
  } catch {
    return { problem: { code: 'invalid_json' } };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { problem: { code: 'invalid_frame', details: ['a frame is a JSON object with a "type"'] } };
  }
  const obj = value as Record<string, unknown>;
  const rid = typeof obj.rid === 'string' && obj.rid.length <= 64 ? obj.rid : undefined;
  const type = obj.type;
  const check = typeof type === 'string' && Object.hasOwn(checks, type) ? checks[type] : undefined;
  if (!check) {
    return {
      problem: {
        code: 'unknown_frame_type',
        details: [describeType(type)],
        ...(rid ? { rid } : {}),
      },
    };
  }
  const clientId =
    type === 'message.send' && typeof obj.clientId === 'string' ? obj.clientId.slice(0, 64) : undefined;
  const ctx = { ...(rid ? { rid } : {}), ...(clientId ? { clientId } : {}) };
  if (check.Check(value)) {
    // Refused, not repaired: text altered on its way to storage would make an honest resend of the
    // same message look like a different one (client_id_conflict).
    const unsafe = findUnsafeText(value);
    if (unsafe === null) return { frame: value as ClientFrame };
    return {
      problem: { code: 'invalid_frame', details: [`${type}${unsafe}: ${UNSAFE_TEXT_DETAIL}`], ...ctx },
    };
  }
  if (type === 'message.send' && typeof obj.body === 'string' && obj.body.length > LIMITS.maxMessageChars) {
    return {
      problem: {
        code: 'message_too_long',
        details: [`body: at most ${LIMITS.maxMessageChars} characters`],
        ...ctx,
      },
    };
  }
  return {
    problem: { code: 'invalid_frame', details: describeErrors(check.Errors(value), type as string), ...ctx },
  };
}

/**
 * Names an unknown type for the error message without converting the client's value: `String()` of
 * an object with a data `toString` throws, and a throw here would escape the socket's listener.
 */
function describeType(type: unknown): string {
  if (typeof type === 'string') return `unknown type ${JSON.stringify(type.slice(0, 40))}`;
  if (type === undefined) return 'a frame needs a "type"';
  return `"type" must be a string, not ${type === null ? 'null' : Array.isArray(type) ? 'an array' : typeof type}`;
}
