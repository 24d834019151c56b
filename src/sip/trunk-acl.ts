import net from 'node:net';
import { parseTrunkEntry } from './trunk-address';

/** An address range: `10.0.0.0/8`, `2001:db8::/32`, or a single address. */
interface Range {
  family: 4 | 6;
  bits: bigint;
  prefix: number;
}

function toBits(address: string): { family: 4 | 6; bits: bigint } | null {
  const unmapped = address.startsWith('::ffff:') && net.isIPv4(address.slice(7)) ? address.slice(7) : address;
  if (net.isIPv4(unmapped)) {
    return { family: 4, bits: unmapped.split('.').reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n) };
  }
  if (!net.isIPv6(unmapped)) return null;
  const [head = '', tail = ''] = unmapped.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === '' ? [] : tail.split(':');
  const groups = unmapped.includes('::') ? [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups] : headGroups;
  return { family: 6, bits: groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n) };
}

function parseRange(text: string): Range {
  const [address = '', prefixText] = text.split('/');
  const parsed = toBits(address);
  if (!parsed) throw new Error(`"${text}" is not an IP address or CIDR range`);
  const width = parsed.family === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? width : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > width) throw new Error(`"${text}" has a bad prefix length`);
  return { family: parsed.family, bits: parsed.bits, prefix };
}

/**
 * The addresses allowed to send calls in (SIP trunks, design §3 step 1).
 * Everything else gets 403. IPv4-mapped IPv6 sources match IPv4 ranges.
 */
export class TrunkAcl {
  private readonly ranges: Range[];

  constructor(cidrs: readonly string[]) {
    // An entry may carry the trunk's SIP port (trunk-address.ts): the ACL reads its address only.
    this.ranges = cidrs.map((entry) => parseRange(parseTrunkEntry(entry).acl));
  }

  allows(source: string): boolean {
    const parsed = toBits(source);
    if (!parsed) return false;
    return this.ranges.some((range) => {
      if (range.family !== parsed.family) return false;
      const width = range.family === 4 ? 32 : 128;
      const shift = BigInt(width - range.prefix);
      return range.bits >> shift === parsed.bits >> shift;
    });
  }
}
