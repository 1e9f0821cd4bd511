import { randomBytes, randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { VisitorKey } from '../modules/encryption/visitor-key.js';
import { type PrepareRequest, prepareIndex } from '../modules/search/prepare-index.js';

/**
 * What the search index's worker spends on one message (open it, take its words, hash every word and
 * beginning), the CPU behind the indexer's thread in the bench's "server CPU":
 *   npm run build:server && node dist/server/cli/measure-search-index.js [--rounds N]
 * Run it in two checkouts one after the other, alternating, to compare builds: it measures the
 * process's CPU time, not the wall clock, so a busy machine stretches it less than a timed loop.
 */
const TEXTS = [
  'Hello! I have a question about my order and the delivery date.',
  'Hi, my parcel 7Q-HX-2291 still says "in transit" after nine days. Can you check where it is?',
  'Thanks, that worked. Could I also change the delivery address to Große Straße 12, München?',
  'I would like a refund for the blue jacket, it is too small. Mail me at jane.doe@example.com',
  'ok',
];
const BATCH = 25;

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '8' } } });
const rounds = Number(values.rounds);
const keyBytes = randomBytes(32);
const visitorKey = new VisitorKey('visitor', 'workspace', Buffer.from(keyBytes));
const request: PrepareRequest = {
  searchKey: new Uint8Array(randomBytes(32)),
  messages: Array.from({ length: BATCH }, (_, i) => {
    const id = randomUUID();
    const body = visitorKey.seal('messages', 'body', id, TEXTS[i % TEXTS.length] as string);
    return {
      message: { id, author_kind: 'visitor', body },
      key: { visitorId: 'visitor', bytes: new Uint8Array(keyBytes) },
    };
  }),
};

const perMessage: number[] = [];
for (let round = 0; round < rounds; round += 1) {
  for (let i = 0; i < 50; i += 1) prepareIndex(request);
  const before = process.cpuUsage();
  const batches = 300;
  for (let i = 0; i < batches; i += 1) prepareIndex(request);
  const used = process.cpuUsage(before);
  perMessage.push((used.user + used.system) / batches / BATCH);
}
const sorted = [...perMessage].sort((a, b) => a - b);
console.log(
  `µs of CPU per message, ${rounds} rounds: ${perMessage.map((v) => v.toFixed(1)).join(', ')}` +
    ` (median ${(sorted[Math.floor(sorted.length / 2)] as number).toFixed(1)})`,
);
