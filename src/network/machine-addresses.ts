import { readFileSync } from 'node:fs';
import os from 'node:os';
import net from 'node:net';

/** This machine's names and addresses as others may reach it, for certificates and printed URLs. */
export interface MachineAddresses {
  hostName: string;
  /** Non-loopback, non-link-local addresses of every interface (IPv4 first). */
  addresses: string[];
  /** The address of the interface holding the default route, else the first IPv4 above; null: loopback only. */
  primary: string | null;
}

type InterfaceTable = NodeJS.Dict<os.NetworkInterfaceInfo[]>;

/** fe80::/10 addresses need a zone and are useless in a URL or a certificate. */
function linkLocal(address: string): boolean {
  return /^fe[89ab][0-9a-f]:/i.test(address);
}

/**
 * The interface of the IPv4 default route, read from /proc/net/route (Linux);
 * null elsewhere or when there is none. A route with destination 00000000 is
 * the default one.
 */
export function defaultRouteInterface(routeTable: string): string | null {
  for (const line of routeTable.split('\n').slice(1)) {
    const [iface, destination] = line.trim().split(/\s+/);
    if (iface && destination === '00000000') return iface;
  }
  return null;
}

/** Pure: the addresses and the primary one from an interface table and the default route's interface. */
export function machineAddressesFrom(hostName: string, interfaces: InterfaceTable, defaultInterface: string | null): MachineAddresses {
  const usable = (infos: os.NetworkInterfaceInfo[] | undefined): os.NetworkInterfaceInfo[] =>
    (infos ?? []).filter((i) => !i.internal && !linkLocal(i.address));
  const all = Object.values(interfaces).flatMap((infos) => usable(infos));
  const ordered = [...all.filter((i) => i.family === 'IPv4'), ...all.filter((i) => i.family !== 'IPv4')].map((i) => i.address);
  const addresses = [...new Set(ordered)];
  const onDefault = defaultInterface ? usable(interfaces[defaultInterface]).find((i) => i.family === 'IPv4') : undefined;
  const primary = onDefault?.address ?? all.find((i) => i.family === 'IPv4')?.address ?? null;
  return { hostName, addresses, primary };
}

function readRouteTable(): string {
  try {
    return readFileSync('/proc/net/route', 'utf8');
  } catch {
    return '';
  }
}

/** This machine, now. */
export function machineAddresses(): MachineAddresses {
  return machineAddressesFrom(os.hostname(), os.networkInterfaces(), defaultRouteInterface(readRouteTable()));
}

export function isLoopback(address: string): boolean {
  return address === '::1' || (net.isIPv4(address) && address.startsWith('127.'));
}

/** An address as it stands in a URL's or SIP URI's host part (IPv6 in brackets). */
export function hostPart(address: string): string {
  return net.isIPv6(address) ? `[${address}]` : address;
}
