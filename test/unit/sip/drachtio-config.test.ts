import { drachtioConfigXml } from '../../../src/sip/drachtio-process';

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
