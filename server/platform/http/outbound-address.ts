import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

/**
 * SSRF guard for requests Parley makes to addresses administrators give it (external bot webhooks).
 * A target must resolve only to public unicast addresses; private, loopback, link-local, shared,
 * documentation, multicast, reserved and unspecified ranges are refused, and so are IPv6 forms
 * that embed such an IPv4 address (IPv4-mapped, IPv4-compatible, NAT64, 6to4) and Teredo.
 */
const V4_BLOCKED: [number, number][] = [
  [0x00000000, 8], // 0.0.0.0/8 "this network", unspecified
  [0x0a000000, 8], // 10/8
  [0x64400000, 10], // 100.64/10 carrier-grade NAT
  [0x7f000000, 8], // loopback
  [0xa9fe0000, 16], // link-local (cloud metadata at 169.254.169.254)
  [0xac100000, 12], // 172.16/12
  [0xc0000000, 24], // 192.0.0/24 protocol assignments
  [0xc0000200, 24], // TEST-NET-1
  [0xc0a80000, 16], // 192.168/16
  [0xc6120000, 15], // benchmarking
  [0xc6336400, 24], // TEST-NET-2
  [0xcb007100, 24], // TEST-NET-3
  [0xe0000000, 4], // multicast
  [0xf0000000, 4], // reserved and broadcast
];

function v4ToInt(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

function v4Blocked(n: number): boolean {
  return V4_BLOCKED.some(([base, bits]) => bits === 0 || n >>> (32 - bits) === base >>> (32 - bits));
}

/** The 8 groups of an IPv6 address (with any dotted IPv4 tail folded in). */
function v6Groups(ip: string): number[] {
  let text = ip.toLowerCase().split('%')[0] ?? '';
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    const n = v4ToInt(dotted[1]);
    text = `${text.slice(0, -dotted[1].length)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array(8 - h.length - t.length).fill('0');
  return [...h, ...fill, ...t].map((g) => Number.parseInt(g, 16));
}

function v6Blocked(ip: string): boolean {
  const g = v6Groups(ip);
  const embedded = ((g[6] ?? 0) << 16) + (g[7] ?? 0);
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (zeros(0, 8) || (zeros(0, 7) && g[7] === 1)) return true; // :: and ::1
  if (zeros(0, 5) && (g[5] === 0xffff || g[5] === 0)) return v4Blocked(embedded >>> 0); // mapped, compatible
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return v4Blocked(embedded >>> 0); // NAT64
  if (g[0] === 0x2002) return v4Blocked((((g[1] ?? 0) << 16) + (g[2] ?? 0)) >>> 0); // 6to4
  const first = g[0] ?? 0;
  if (first === 0x2001 && g[1] === 0) return true; // Teredo
  if (first === 0x2001 && g[1] === 0x0db8) return true; // documentation
  if (first === 0x0100 && zeros(1, 4)) return true; // discard-only
  if ((first & 0xfe00) === 0xfc00) return true; // unique local
  if ((first & 0xffc0) === 0xfe80 || (first & 0xffc0) === 0xfec0) return true; // link-local, site-local
  if ((first & 0xff00) === 0xff00) return true; // multicast
  return false;
}

export function isPublicAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 4) return !v4Blocked(v4ToInt(ip) >>> 0);
  if (family === 6) return !v6Blocked(ip);
  return false;
}

export interface OutboundTarget {
  url: URL;
  address: string;
  family: 4 | 6;
}

export class OutboundRefused extends Error {}

/**
 * Checks a webhook URL and resolves it to the one address the request must connect to (the caller
 * pins the connection to it, so a second DNS answer cannot swap in a private address). Called when
 * the URL is saved and again before every request.
 */
export async function resolveOutboundTarget(raw: string, allowPrivate: boolean): Promise<OutboundTarget> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OutboundRefused('The address is not a valid URL.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new OutboundRefused('The address must be https://.');
  if (url.username || url.password) throw new OutboundRefused('The address must not contain credentials.');
  if (url.hash) throw new OutboundRefused('The address must not have a fragment.');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: { address: string; family: number }[];
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
  else {
    try {
      addresses = await lookup(host, { all: true, verbatim: true });
    } catch {
      throw new OutboundRefused(`The host ${host} does not resolve.`);
    }
  }
  const first = addresses[0];
  if (!first) throw new OutboundRefused(`The host ${host} does not resolve.`);
  const allPublic = addresses.every((a) => isPublicAddress(a.address));
  if (!allPublic && !allowPrivate) {
    throw new OutboundRefused(`The host ${host} resolves to a private, loopback or reserved address.`);
  }
  // Plain http only to a private target the host operator allowed (an on-premises bot); never public.
  if (url.protocol === 'http:' && (allPublic || !allowPrivate))
    throw new OutboundRefused('The address must be https://.');
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}
