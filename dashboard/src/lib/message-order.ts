import type { Message } from '../../../protocol/common.js';

/** Returns a new array with `m` in seq order, or the same array when that seq is already there. */
export function insertMessage(list: Message[], m: Message): Message[] {
  const last = list[list.length - 1];
  if (!last || m.seq > last.seq) return [...list, m];
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((list[mid] as Message).seq < m.seq) lo = mid + 1;
    else hi = mid;
  }
  if (list[lo]?.seq === m.seq) return list;
  return [...list.slice(0, lo), m, ...list.slice(lo)];
}

/** The first seq above `floor` that is missing before the newest message we hold, or null. */
export function missingSeqs(list: Message[], floor: number): number | null {
  let expected = floor + 1;
  for (const m of list) {
    if (m.seq < expected) continue;
    if (m.seq !== expected) return expected;
    expected += 1;
  }
  return null;
}
