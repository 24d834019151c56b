import { drachtioConfigXml, drachtioContacts, drachtioTlsArgs } from '../../../src/sip/drachtio-process';

describe('drachtio-server config file', () => {
  it('is the bare stub without a blacklist', () => {
    expect(drachtioConfigXml()).toBe('<drachtio><admin/></drachtio>\n');
  });

  it('carries the <sip><blacklist> element drachtio-server reads (src/drachtio-config.cpp), XML-escaped', () => {
    const xml = drachtioConfigXml({ redisHost: '10.0.0.5', redisPort: 6380, redisKey: 'sb:sip:{auth}:blacklist<&>', refreshSecs: 30 });
    expect(xml).toBe(
      [
        '<drachtio>',
        '  <admin/>',
        '  <sip>',
        '    <blacklist>',
        '      <redis-address>10.0.0.5</redis-address>',
        '      <redis-port>6380</redis-port>',
        '      <redis-key>sb:sip:{auth}:blacklist&lt;&amp;&gt;</redis-key>',
        '      <refresh-secs>30</refresh-secs>',
        '    </blacklist>',
        '  </sip>',
        '</drachtio>',
        '',
      ].join('\n'),
    );
  });
});

describe('drachtio-server contacts', () => {
  const tls = { certFile: '/d/tls/server.crt', keyFile: '/d/tls/server.key', chainFile: '/d/tls/ca.crt', wssPort: 8443, tlsPort: 5061 };

  it('with TLS: UDP/TCP, secure WebSocket and TLS on the public address and on loopback, with the sips: scheme secure transports need', () => {
    const listen = { addresses: ['192.168.2.10', '127.0.0.1'], sipPort: 5060, wsPort: null, tls };
    expect(drachtioContacts(listen)).toEqual([
      'sip:192.168.2.10:5060;transport=udp,tcp', 'sips:192.168.2.10:8443;transport=wss', 'sips:192.168.2.10:5061;transport=tls',
      'sip:127.0.0.1:5060;transport=udp,tcp', 'sips:127.0.0.1:8443;transport=wss', 'sips:127.0.0.1:5061;transport=tls',
    ]);
    // drachtio-server loads --chain-file as its CA list and will not start TLS without one.
    expect(drachtioTlsArgs(listen)).toEqual(['--cert-file', '/d/tls/server.crt', '--key-file', '/d/tls/server.key', '--chain-file', '/d/tls/ca.crt']);
  });

  it('without TLS: plain WebSocket and no certificate flags; IPv6 in brackets', () => {
    const listen = { addresses: ['2001:db8::5'], sipPort: 5080, wsPort: 8088, tls: null };
    expect(drachtioContacts(listen)).toEqual(['sip:[2001:db8::5]:5080;transport=udp,tcp', 'sip:[2001:db8::5]:8088;transport=ws']);
    expect(drachtioTlsArgs(listen)).toEqual([]);
  });
});
