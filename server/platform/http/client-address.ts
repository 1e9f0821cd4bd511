import { BlockList, isIP } from 'node:net';
import { normalizeIP } from '@fastify/rate-limit';

/**
 * Client addresses as Parley sees them: `request.ip`, which Fastify takes from X-Forwarded-For only
 * when the connection comes from a configured trusted proxy (PARLEY_TRUSTED_PROXIES).
 */

/** An IPv4 client on a dual-stack socket shows up as ::ffff:a.b.c.d; treat it as the IPv4 address. */
export function plainAddress(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return mapped ? (mapped[1] as string) : ip.toLowerCase();
}

/**
 * The key limits count by: the IPv4 address, or the /64 an IPv6 address belongs to, since one
 * subscriber usually holds a whole /64 and could otherwise rotate through it.
 */
export function addressKey(ip: string): string {
  return normalizeIP(plainAddress(ip), 64);
}

export interface AddressList {
  /** The entries as configured, for messages and docs. */
  readonly entries: readonly string[];
  has(ip: string): boolean;
}

/**
 * Parses comma-separated addresses and CIDR ranges, IPv4 and IPv6 (`10.0.0.0/8, 2001:db8::/32,
 * 192.0.2.7`). Problems are appended to `problems` under the setting's name.
 */
export function parseAddressList(setting: string, raw: string | undefined, problems: string[]): AddressList {
  const list = new BlockList();
  const entries: string[] = [];
  for (const entry of (raw ?? '').split(',').map((s) => s.trim())) {
    if (!entry) continue;
    const [address = '', prefixText] = entry.split('/');
    const family = isIP(address);
    const maxPrefix = family === 4 ? 32 : 128;
    const prefix = prefixText === undefined ? maxPrefix : Number(prefixText);
    if (family === 0 || !Number.isInteger(prefix) || prefix < 0 || prefix > maxPrefix) {
      problems.push(`${setting}: "${entry}" is not an IP address or CIDR range.`);
      continue;
    }
    list.addSubnet(address, prefix, family === 4 ? 'ipv4' : 'ipv6');
    entries.push(entry);
  }
  return {
    entries,
    has(ip) {
      const plain = plainAddress(ip);
      const family = isIP(plain);
      return family !== 0 && list.check(plain, family === 4 ? 'ipv4' : 'ipv6');
    },
  };
}
