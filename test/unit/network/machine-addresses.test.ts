import type os from 'node:os';
import { defaultRouteInterface, hostPart, isLoopback, machineAddressesFrom } from '../../../src/network/machine-addresses';

const info = (address: string, family: 'IPv4' | 'IPv6', internal = false): os.NetworkInterfaceInfo =>
  ({ address, family, internal, netmask: '', mac: '00:00:00:00:00:00', cidr: null, ...(family === 'IPv6' ? { scopeid: 0 } : {}) }) as os.NetworkInterfaceInfo;

const ROUTES = [
  'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT',
  'docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0',
  'eth1\t00000000\t0102A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0',
  'eth1\t0002A8C0\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0',
].join('\n');

describe('the machine\'s addresses, for certificates, SIP contacts and printed URLs', () => {
  it('finds the interface of the default route in /proc/net/route, none when there is no default route', () => {
    expect(defaultRouteInterface(ROUTES)).toBe('eth1');
    expect(defaultRouteInterface(ROUTES.split('\n').filter((l) => !l.includes('\t00000000\t0102')).join('\n'))).toBeNull();
    expect(defaultRouteInterface('')).toBeNull();
  });

  it('takes the default route\'s IPv4 address as primary, lists the others (IPv4 first), leaves out loopback and link-local', () => {
    const machine = machineAddressesFrom('pbx1', {
      lo: [info('127.0.0.1', 'IPv4', true), info('::1', 'IPv6', true)],
      docker0: [info('172.17.0.1', 'IPv4')],
      eth1: [info('fe80::1', 'IPv6'), info('2001:db8::5', 'IPv6'), info('192.168.2.10', 'IPv4')],
    }, 'eth1');
    expect(machine).toEqual({ hostName: 'pbx1', primary: '192.168.2.10', addresses: ['172.17.0.1', '192.168.2.10', '2001:db8::5'] });
  });

  it('falls back to the first IPv4 address without a default route, and to none on a loopback-only machine', () => {
    expect(machineAddressesFrom('a', { eth0: [info('10.0.0.4', 'IPv4')] }, null).primary).toBe('10.0.0.4');
    expect(machineAddressesFrom('a', { lo: [info('127.0.0.1', 'IPv4', true)] }, null)).toEqual({ hostName: 'a', primary: null, addresses: [] });
  });

  it('knows loopback addresses and writes IPv6 in brackets for URLs and SIP URIs', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1'].map(isLoopback)).toEqual([true, true, true]);
    expect(['10.0.0.1', '2001:db8::1'].map(isLoopback)).toEqual([false, false]);
    expect(hostPart('2001:db8::1')).toBe('[2001:db8::1]');
    expect(hostPart('10.0.0.1')).toBe('10.0.0.1');
  });
});
