// Preloaded into a Parley process (`node --import`) by the "nothing leaves the machine" test: records
// every outbound connection, datagram and name lookup the process attempts, one JSON line each, to the
// file named by OUTBOUND_LOG. It changes nothing else: each call goes on as it would have.
import dgram from 'node:dgram';
import dns from 'node:dns';
import { appendFileSync } from 'node:fs';
import net from 'node:net';

const file = process.env.OUTBOUND_LOG;
const record = (entry) => {
  if (file) appendFileSync(file, `${JSON.stringify(entry)}\n`);
};

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const [first, second] = args;
  // net.connect() hands the socket its arguments already normalized, as an array [options, callback].
  if (typeof first === 'object' && first !== null) {
    const o = Array.isArray(first) ? (first[0] ?? {}) : first;
    if (o.path) record({ kind: 'connect', path: String(o.path) });
    else record({ kind: 'connect', host: o.host ?? 'localhost', port: Number(o.port) });
  } else if (typeof first === 'string' && Number.isNaN(Number(first))) {
    record({ kind: 'connect', path: first });
  } else {
    record({ kind: 'connect', host: typeof second === 'string' ? second : 'localhost', port: Number(first) });
  }
  return connect.apply(this, args);
};

for (const name of ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveMx', 'resolveTxt']) {
  const original = dns[name];
  if (typeof original === 'function')
    dns[name] = function (hostname, ...rest) {
      record({ kind: `dns.${name}`, host: String(hostname) });
      return original.call(this, hostname, ...rest);
    };
  const promised = dns.promises[name];
  if (typeof promised === 'function')
    dns.promises[name] = function (hostname, ...rest) {
      record({ kind: `dns.promises.${name}`, host: String(hostname) });
      return promised.call(this, hostname, ...rest);
    };
}

const send = dgram.Socket.prototype.send;
dgram.Socket.prototype.send = function (...args) {
  const host = args.find((a, i) => i > 0 && typeof a === 'string');
  record({ kind: 'udp', host: host ?? 'localhost' });
  return send.apply(this, args);
};
