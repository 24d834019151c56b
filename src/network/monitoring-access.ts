import { timingSafeEqual } from 'node:crypto';
import net from 'node:net';

/**
 * Who may read the operational endpoints (/metrics, /readyz's detail; issue
 * 15): internal error texts, component names and counters tell an attacker
 * much. Allowed are requests from the configured networks and requests that
 * bear the monitoring token; the rest get only what a load balancer needs.
 */
export interface MonitoringAccess {
  allows(request: { ip: string; authorization: string | undefined }): boolean;
}

/** Reads `a.b.c.d/n` or `x::y/n`; throws Error naming the entry for anything else. */
function parseNetwork(text: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } {
  const [address = '', prefixText, extra] = text.trim().split('/');
  const family = net.isIPv4(address) ? 'ipv4' : net.isIPv6(address) ? 'ipv6' : null;
  const prefix = prefixText === undefined ? (family === 'ipv4' ? 32 : 128) : Number(prefixText);
  const max = family === 'ipv4' ? 32 : 128;
  if (!family || extra !== undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > max) {
    throw new Error(`"${text}" is not a network (a.b.c.d/n or an IPv6 prefix)`);
  }
  return { address, prefix, family };
}

/** Checks `networks` (CIDR) without building anything; the first bad one's message, or null. */
export function monitoringNetworkProblem(networks: readonly string[]): string | null {
  for (const text of networks) {
    try {
      parseNetwork(text);
    } catch (err) {
      return (err as Error).message;
    }
  }
  return null;
}

export function monitoringAccess(networks: readonly string[], token: string | null): MonitoringAccess {
  const list = new net.BlockList();
  for (const text of networks) {
    const { address, prefix, family } = parseNetwork(text);
    list.addSubnet(address, prefix, family);
  }
  const expected = token ? Buffer.from(`Bearer ${token}`) : null;
  return {
    allows({ ip, authorization }) {
      // An IPv4 client of a dual-stack socket shows as ::ffff:a.b.c.d.
      const plain = ip.startsWith('::ffff:') && net.isIPv4(ip.slice(7)) ? ip.slice(7) : ip;
      const family = net.isIPv4(plain) ? 'ipv4' : net.isIPv6(plain) ? 'ipv6' : null;
      if (family && list.check(plain, family)) return true;
      if (!expected || !authorization) return false;
      const given = Buffer.from(authorization);
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}
