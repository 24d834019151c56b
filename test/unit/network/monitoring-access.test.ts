import { monitoringAccess, monitoringNetworkProblem } from '../../../src/network/monitoring-access';

describe('who may read the operational endpoints (pure)', () => {
  const access = monitoringAccess(['127.0.0.0/8', '::1/128', '10.20.0.0/16'], 'a-long-monitoring-token');

  it('lets the configured networks in, IPv4 clients of a dual-stack socket included; nobody else without the token', () => {
    expect(['127.0.0.1', '::ffff:127.0.0.1', '::1', '10.20.3.4'].map((ip) => access.allows({ ip, authorization: undefined }))).toEqual([true, true, true, true]);
    expect(['192.168.1.20', '10.21.0.1', '::ffff:192.168.1.20', '2001:db8::1'].map((ip) => access.allows({ ip, authorization: undefined }))).toEqual([false, false, false, false]);
  });

  it('lets in whoever bears the monitoring token, exactly', () => {
    expect(access.allows({ ip: '192.168.1.20', authorization: 'Bearer a-long-monitoring-token' })).toBe(true);
    expect(access.allows({ ip: '192.168.1.20', authorization: 'Bearer a-long-monitoring-toke' })).toBe(false);
    expect(access.allows({ ip: '192.168.1.20', authorization: 'a-long-monitoring-token' })).toBe(false);
    expect(monitoringAccess([], null).allows({ ip: '192.168.1.20', authorization: 'Bearer anything' })).toBe(false);
  });

  it('names a network it cannot read', () => {
    expect(monitoringNetworkProblem(['127.0.0.0/8', '10.0.0.0/33'])).toBe('"10.0.0.0/33" is not a network (a.b.c.d/n or an IPv6 prefix)');
    expect(monitoringNetworkProblem(['office'])).toMatch(/"office" is not a network/);
    expect(monitoringNetworkProblem(['192.168.0.0/16', 'fd00::/8'])).toBeNull();
  });
});
