import { randomBytes } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { type Driver, type DriverContext, mapLimit, type Peer, type VisitorIdentity } from './driver.js';
import { Ledger, now } from './ledger.js';
import { LoadLoop } from './load-loop.js';
import { sleep } from './pacer.js';
import { parleyDriver } from './parley-driver.js';
import type { FromWorker, LoadPlan, ToWorker, WorkerPlan } from './plan.js';
import { rawDriver, socketIoDriver } from './relay-drivers.js';

/**
 * One load-generator process (forked by bench/harness/generators.ts). It connects its share of the
 * visitors and operators, sends on command, and reports what it sent, what was acked and what
 * arrived where. Conversations never span two generator processes, so one process sees both ends
 * of each of its conversations and measures latency on one clock.
 */
const ledger = new Ledger();
const loops: LoadLoop[] = [];
let plan: WorkerPlan | null = null;
let driver: Driver | null = null;
let identities: VisitorIdentity[] = [];
let visitors: Peer[] = [];
let operators: Peer[] = [];

const ctx: DriverContext = {
  ledger,
  workerId: 0,
  onSettled(peer) {
    for (const l of loops) l.settled(peer);
  },
};

function reply(message: FromWorker): void {
  process.send?.(message);
}

function driverFor(p: WorkerPlan): Driver {
  const t = p.target;
  if (t.kind === 'parley') return parleyDriver(t, ctx);
  return t.kind === 'raw' ? rawDriver(t, ctx) : socketIoDriver(t, ctx);
}

/** Creates the visitors (for Parley: sessions over HTTP) without connecting anything yet. */
async function prepare(p: WorkerPlan): Promise<void> {
  plan = p;
  ctx.workerId = p.workerId;
  ledger.expectEcho = p.target.kind === 'parley';
  ledger.noDeliveries = p.operators === 0;
  driver = driverFor(p);
  identities = await driver.prepareVisitors(p.visitors, p.setupConcurrency);
  reply({ ev: 'identities', workerId: p.workerId, count: identities.length });
}

async function connect(): Promise<void> {
  const p = plan;
  const d = driver;
  if (!p || !d) throw new Error('connect before prepare');
  const started = performance.now();
  visitors = await mapLimit(identities, p.setupConcurrency, (id) => d.connectVisitor(id));
  const assigned: string[][] = Array.from({ length: p.operators }, () => []);
  identities.forEach((id, i) => {
    assigned[i % p.operators]?.push(id.conversationId);
  });
  operators = await Promise.all(
    assigned.map((conversations, j) => d.connectOperator(p.operatorOffset + j, conversations)),
  );
  reply({
    ev: 'prepared',
    workerId: p.workerId,
    visitors: visitors.length,
    operators: operators.length,
    ms: performance.now() - started,
  });
}

async function run(load: LoadPlan): Promise<void> {
  if (!plan) throw new Error('run before prepare');
  // The same sockets may carry several runs (the two-node scenario's rising rates): each is its own.
  ledger.reset();
  loops.length = 0;
  const nonce = randomBytes(6).toString('base64url');
  let counter = 0;
  // Client ids as the protocol wants them (16–64 chars of [A-Za-z0-9_-]), unique per run and process.
  const newClientId = () => `${nonce}w${plan?.workerId}_${(counter++).toString(36).padStart(7, '0')}`;
  const body = 'Hello! I have a question about my order and the delivery date. '.repeat(4);
  const text = body.slice(0, plan.bodyChars);
  loops.push(
    new LoadLoop(visitors, load.visitors, newClientId, text),
    new LoadLoop(operators, load.operators, newClientId, text),
  );
  const delay = monitorEventLoopDelay({ resolution: 5 });
  await sleep(Math.max(0, load.startAt - now()));
  ledger.begin(load.startAt, load.recordLatency, load.warmupMs);
  const cpu0 = process.cpuUsage();
  const t0 = now();
  delay.enable();
  for (const l of loops) l.start();
  await sleep(Math.max(0, load.startAt + load.durationMs - now()));
  for (const l of loops) l.stop();
  // The generator's own load is measured while it sends, not while it waits for the drain.
  const cpu = process.cpuUsage(cpu0);
  const wallMs = now() - t0;
  const drainUntil = now() + load.drainMs;
  while (now() < drainUntil && !ledger.settled()) await sleep(20);
  delay.disable();
  const report = ledger.report(
    plan.workerId,
    { cpuMs: (cpu.user + cpu.system) / 1000, wallMs, eventLoopP99Ms: delay.percentile(99) / 1e6 },
    plan.collectAckedIds,
  );
  reply({ ev: 'report', report });
}

async function close(): Promise<void> {
  for (const p of [...visitors, ...operators]) p.close();
  await sleep(200);
  reply({ ev: 'closed', workerId: plan?.workerId ?? -1 });
  process.exit(0);
}

process.on('message', (message: ToWorker) => {
  const task =
    message.cmd === 'prepare'
      ? prepare(message.plan)
      : message.cmd === 'connect'
        ? connect()
        : message.cmd === 'run'
          ? run(message.load)
          : close();
  task.catch((err: unknown) => {
    reply({ ev: 'error', workerId: plan?.workerId ?? -1, message: (err as Error).stack ?? String(err) });
  });
});

process.on('disconnect', () => process.exit(0));
