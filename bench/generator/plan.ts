/**
 * What the harness asks a load-generator process to do, and what the process reports back. The
 * same plan drives Parley and both baselines, so every system sees identical traffic.
 */
export type System = 'parley' | 'raw' | 'socketio';

export interface ParleyTarget {
  kind: 'parley';
  /** Node the visitors use (sessions, tickets, sockets). */
  url: string;
  /** Node the operators' sockets use; differs from `url` in the two-node scenario. */
  agentUrl: string;
  widgetId: string;
  /** An allowed origin of the widget: the page the widget is embedded in. */
  hostOrigin: string;
  /** One signed-in session per operator socket. */
  agentCookies: string[];
}

export interface RelayTarget {
  kind: 'raw' | 'socketio';
  url: string;
}

export type Target = ParleyTarget | RelayTarget;

export interface WorkerPlan {
  workerId: number;
  target: Target;
  visitors: number;
  /** Operator sockets in this worker; the worker's conversations are dealt out to them in turn. */
  operators: number;
  /** Operator cookies this worker uses (Parley): a slice of the target's list. */
  operatorOffset: number;
  bodyChars: number;
  /** Report every acked client id (the durability check reads them back from the database). */
  collectAckedIds: boolean;
  /** HTTP requests in flight while creating visitors and fetching tickets. */
  setupConcurrency: number;
}

/** Closed loop: keep at most `window` unacked per socket, and stay under `perSocketRate`/s. */
export interface WindowLoad {
  mode: 'window';
  window: number;
  perSocketRate: number;
  burst: number;
}

/** Open loop: `totalPerSec` messages/s spread evenly over the sockets, whatever the acks do. */
export interface RateLoad {
  mode: 'rate';
  totalPerSec: number;
}

export type SenderLoad = WindowLoad | RateLoad | { mode: 'none' };

export interface LoadPlan {
  /** Epoch ms (performance.timeOrigin + now) at which every worker starts sending. */
  startAt: number;
  durationMs: number;
  /** Latencies of messages sent before this much time has passed are not recorded. */
  warmupMs: number;
  /** After sending stops: how long to wait for outstanding acks and deliveries. */
  drainMs: number;
  visitors: SenderLoad;
  operators: SenderLoad;
  recordLatency: boolean;
}

export type ToWorker =
  | { cmd: 'prepare'; plan: WorkerPlan }
  | { cmd: 'connect' }
  | { cmd: 'run'; load: LoadPlan }
  | { cmd: 'close' };

export interface WorkerReport {
  workerId: number;
  sent: number;
  acked: number;
  /** Acked messages that reached the other party (operator for a visitor's message, and back). */
  delivered: number;
  /** Parley also sends a message back to its author's own socket; counted apart. */
  echoed: number;
  missing: number;
  /** Acked messages that never came back to their author's own socket (Parley only sends these). */
  echoMissing: number;
  duplicated: number;
  unknown: number;
  unacked: number;
  refused: Record<string, number>;
  orderViolations: number;
  unexpectedCloses: number;
  /** Deliveries and acks per 100 ms bucket since `startAt`. */
  deliveredBuckets: number[];
  ackedBuckets: number[];
  /** Visitor→operator latencies in ms (when recorded). */
  latencies: number[];
  ackLatencies: number[];
  /** Generator CPU time while sending and draining, and the wall time it covers. */
  cpuMs: number;
  wallMs: number;
  eventLoopP99Ms: number;
  ackedIds?: string[];
  samples: string[];
}

export type FromWorker =
  | { ev: 'identities'; workerId: number; count: number }
  | { ev: 'prepared'; workerId: number; visitors: number; operators: number; ms: number }
  | { ev: 'report'; report: WorkerReport }
  | { ev: 'closed'; workerId: number }
  | { ev: 'error'; workerId: number; message: string };

export const BUCKET_MS = 100;
