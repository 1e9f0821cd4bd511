import type { Ledger } from './ledger.js';

/** One connected socket of the generator, visitor or operator, of any system. */
export interface Peer {
  readonly role: 'visitor' | 'operator';
  /** Conversations this socket may send to. */
  readonly conversations: string[];
  /** Messages sent and not yet acked (or refused). */
  inFlight: number;
  send(conversationId: string, clientId: string, body: string): void;
  close(): void;
}

/** The identity a visitor needs to connect: its conversation, and for Parley its credential. */
export interface VisitorIdentity {
  conversationId: string;
  credential?: string;
}

/**
 * A system under test as the generator sees it. Drivers report into the ledger: acks, refusals,
 * and every message that arrives, marking the author's own copy as an echo.
 */
export interface Driver {
  prepareVisitors(count: number, concurrency: number): Promise<VisitorIdentity[]>;
  connectVisitor(identity: VisitorIdentity): Promise<Peer>;
  connectOperator(index: number, conversations: string[]): Promise<Peer>;
}

export interface DriverContext {
  ledger: Ledger;
  workerId: number;
  /** Called when one of a peer's messages is acked or refused, so the load loop can send more. */
  onSettled(peer: Peer): void;
}

/** Runs `task` over `items` with at most `concurrency` at once, keeping the results' order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  concurrency: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await task(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
  return out;
}
