import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { Server } from 'socket.io';

/**
 * Baseline 2: the same relay written the way most teams would with Socket.IO. A visitor's socket
 * joins its conversation's room; an operator's socket joins the rooms of its conversations; a
 * message is emitted to the room (everyone but the sender) and acked through the ack callback.
 * No validation, storage or encryption either.
 */
const { values } = parseArgs({ options: { port: { type: 'string', default: '0' } } });

const http = createServer();
const io = new Server(http, { serveClient: false, perMessageDeflate: false });
io.on('connection', (socket) => {
  const auth = socket.handshake.auth as { role?: string; c?: string };
  if (auth.role === 'v' && auth.c) socket.join(auth.c);
  socket.on('j', (ids: string[], ack: () => void) => {
    socket.join(ids);
    ack();
  });
  socket.on('m', (message: { c: string; id: string; b: string }, ack: () => void) => {
    socket.to(message.c).emit('m', message);
    ack();
  });
});
http.listen(Number(values.port), '127.0.0.1', () => {
  console.log(`listening ${(http.address() as AddressInfo).port}`);
});
