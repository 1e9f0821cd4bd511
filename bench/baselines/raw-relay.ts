import { parseArgs } from 'node:util';
import { type WebSocket, WebSocketServer } from 'ws';

/**
 * Baseline 1, the practical ceiling: a bare `ws` server that relays a visitor's frame to the
 * conversation's operator socket (and back) and acks it. No validation, no storage, no encryption.
 *   visitor:  ws://host/?role=v&c=<conversation>   operator: ws://host/?role=o, then {"t":"j","c":[…]}
 *   message:  {"t":"m","c":conversation,"id":clientId,"b":body} → ack {"t":"a","id":clientId}
 * --drop-nth N / --duplicate-nth N break the relay on purpose (the Nth message is acked but not
 * forwarded, or forwarded twice), so the bench's own checks can be shown to catch it.
 */
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'drop-nth': { type: 'string', default: '0' },
    'duplicate-nth': { type: 'string', default: '0' },
  },
});
const dropNth = Number(values['drop-nth']);
const duplicateNth = Number(values['duplicate-nth']);

interface Room {
  visitor?: WebSocket;
  operator?: WebSocket;
}
const rooms = new Map<string, Room>();
const room = (id: string): Room => {
  let r = rooms.get(id);
  if (!r) {
    r = {};
    rooms.set(id, r);
  }
  return r;
};
let relayed = 0;

const server = new WebSocketServer({
  port: Number(values.port),
  host: '127.0.0.1',
  perMessageDeflate: false,
});
server.on('connection', (socket, request) => {
  const query = new URL(request.url ?? '/', 'http://relay').searchParams;
  const isVisitor = query.get('role') === 'v';
  const mine: string[] = [];
  if (isVisitor) {
    const id = query.get('c') ?? '';
    room(id).visitor = socket;
    mine.push(id);
    socket.send('{"t":"ready"}');
  }
  socket.on('message', (data) => {
    const text = String(data);
    const frame = JSON.parse(text) as { t: string; c: string | string[]; id?: string };
    if (frame.t === 'j' && Array.isArray(frame.c)) {
      for (const id of frame.c) {
        room(id).operator = socket;
        mine.push(id);
      }
      socket.send('{"t":"ready"}');
      return;
    }
    const r = rooms.get(frame.c as string);
    const to = isVisitor ? r?.operator : r?.visitor;
    relayed += 1;
    if (relayed !== dropNth) to?.send(text);
    if (relayed === duplicateNth) to?.send(text);
    socket.send(`{"t":"a","id":${JSON.stringify(frame.id)}}`);
  });
  socket.on('close', () => {
    for (const id of mine) {
      const r = rooms.get(id);
      if (r?.visitor === socket) delete r.visitor;
      if (r?.operator === socket) delete r.operator;
      if (r && !r.visitor && !r.operator) rooms.delete(id);
    }
  });
});
server.on('listening', () => {
  const address = server.address();
  console.log(`listening ${typeof address === 'object' && address ? address.port : values.port}`);
});
