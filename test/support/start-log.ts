import pino from 'pino';
import { logCapture } from './log-capture.js';

/** A real pino logger whose lines a test can read: for the start steps that log what they did. */
export function startLog(): { log: pino.Logger; text: () => string } {
  const { stream, lines } = logCapture();
  return { log: pino({ level: 'info' }, stream), text: () => lines.join('') };
}
