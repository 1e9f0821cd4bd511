import { readlinkSync } from 'node:fs';
import { constants, setPriority } from 'node:os';

/**
 * Gives the calling thread the lowest CPU priority (nice 19), for a worker doing background work (the
 * search index): when the machine's cores are all busy, the event loop, which serves every socket,
 * goes first, and the worker takes what is left. On Linux a thread's id is a pid that
 * `setpriority` takes; elsewhere (no /proc/thread-self) the thread keeps its priority. Returns
 * whether it was lowered.
 */
export function runAtBackgroundPriority(): boolean {
  let threadId: number;
  try {
    threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
  } catch {
    return false;
  }
  if (!Number.isInteger(threadId) || threadId <= 0) return false;
  setPriority(threadId, constants.priority.PRIORITY_LOW);
  return true;
}
