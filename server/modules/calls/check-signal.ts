import { CALL_LIMITS, type CallRole, type CallSignal } from '../../../protocol/calls.js';
import { AppError } from '../../errors.js';

/** SDP lines: `x=` and printable ASCII, nothing else (RFC 8866 §5). */
const SDP_LINE = /^[a-z]=[\x20-\x7e]*$/;
/** A trickled candidate line as browsers give it (RFC 8839 §5.1), or '' for end-of-candidates. */
const CANDIDATE = /^(candidate:[\x20-\x7e]+)?$/;
const MID = /^[\x21-\x7e]*$/;

/**
 * What may be relayed from one side to the other. The agent's side makes offers (it offered the
 * call, and renegotiates to share its screen) and the visitor's side answers them, so neither can
 * be driven into a renegotiation by the other. Anything not shaped like SDP or a candidate is refused
 * before it reaches the other browser.
 */
export function checkSignal(role: CallRole, signal: CallSignal): void {
  if (signal.kind === 'candidate') {
    if (!CANDIDATE.test(signal.candidate) || (signal.sdpMid !== null && !MID.test(signal.sdpMid)))
      throw new AppError('signal_invalid', {
        details: ['candidate: an ICE candidate line ("candidate:…") or ""'],
      });
    return;
  }
  if (signal.sdp.length > CALL_LIMITS.maxSdpChars)
    throw new AppError('signal_too_large', {
      details: [`sdp: at most ${CALL_LIMITS.maxSdpChars} characters`],
    });
  if ((signal.kind === 'offer') !== (role === 'agent'))
    throw new AppError('signal_invalid', {
      details: ['the agent’s side offers, the visitor’s side answers'],
    });
  const lines = signal.sdp.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  if (lines[0] !== 'v=0' || !lines.every((l) => SDP_LINE.test(l)))
    throw new AppError('signal_invalid', { details: ['sdp: a session description starting with "v=0"'] });
}
