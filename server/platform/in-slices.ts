/**
 * Runs `each` over a snapshot of `items`, `size` at a time, letting the event loop run between
 * slices. A heartbeat pings every socket of the node, one system call each: at a thousand sockets
 * that held the event loop for about 20 ms, during which every message waited; in slices, messages
 * are read and answered between them. Items that go away meanwhile must be harmless to visit.
 */
export async function inSlices<T>(items: Iterable<T>, size: number, each: (item: T) => void): Promise<void> {
  const snapshot = Array.from(items);
  for (let start = 0; start < snapshot.length; start += size) {
    if (start > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    for (const item of snapshot.slice(start, start + size)) each(item);
  }
}
