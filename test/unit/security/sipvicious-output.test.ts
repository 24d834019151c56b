import { boundAddress, parseSvcrack, parseSvmap, parseSvwar, readTable } from '../../../scripts/security/sipvicious-output';

// Output as sipvicious 0.3.3 prints it (captured from runs against Switchboard, tables from its pptable).
const SVWAR_ENUMERATED = `sipvicious-bind: bound to 127.0.0.2:5061
DEBUG:TakeASip:Bad user = SIP/2.0 404 Not Found
INFO:TakeASip:Ok SIP device found
DEBUG:TakeASip:sending request for admin
DEBUG:TakeASip:sending request for anna
INFO:TakeASip:extension 'anna' exists - requires authentication
DEBUG:TakeASip:sending request for 101
INFO:root:we have 2 extensions
+-----------+----------------+
| Extension | Authentication |
+===========+================+
| anna      | reqauth        |
+-----------+----------------+
| 101       | noauth         |
+-----------+----------------+
INFO:root:Total time: 0:00:03.511046
`;

const SVWAR_UNKNOWN_CHALLENGED = `WARNING:TakeASip:using an INVITE scan on an endpoint (i.e. SIP phone) may cause it to ring and wake up people in the middle of the night
sipvicious-bind: bound to 127.0.0.2:5060
ERROR:TakeASip:SIP server replied with an authentication request for an unknown extension. Set --force to force a scan.
WARNING:root:found nothing
`;

const SVCRACK_FOUND = `sipvicious-bind: bound to 127.0.0.3:5076
DEBUG:ASipOfRedWine:trying demo-pass-1
INFO:ASipOfRedWine:The password for pavel is demo-pass-1
INFO:root:we have 1 cracked users
+-----------+-------------+
| Extension | Password    |
+===========+=============+
| pavel     | demo-pass-1 |
+-----------+-------------+
INFO:root:Total time: 0:00:00.014731
`;

const SVCRACK_NOTHING = `sipvicious-bind: bound to 127.0.0.2:5077
DEBUG:ASipOfRedWine:trying 123456
DEBUG:ASipOfRedWine:trying password
DEBUG:ASipOfRedWine:trying demo-pass-1
DEBUG:ASipOfRedWine:trying hunter2
INFO:ASipOfRedWine:no more passwords
WARNING:root:found nothing
INFO:root:Total time: 0:00:10.544847
`;

describe('reading what sipvicious prints', () => {
  it('reads a result table into rows keyed by its header, and stops at the table end', () => {
    expect(readTable(`${SVWAR_ENUMERATED}\n+---+\n| later | table |\n`)).toEqual([
      { Extension: 'anna', Authentication: 'reqauth' },
      { Extension: '101', Authentication: 'noauth' },
    ]);
    expect(readTable('WARNING:root:found nothing\n')).toEqual([]);
  });

  it('svmap: the devices and their User-Agent', () => {
    const out = `+-----------------+------------+\n| SIP Device      | User Agent |\n+=================+============+\n| 127.0.0.1:37691 | unknown    |\n+-----------------+------------+\n`;
    expect(parseSvmap(out)).toEqual({ devices: [{ device: '127.0.0.1:37691', userAgent: 'unknown' }] });
  });

  it('svwar: the extensions it gave away and the names it tried', () => {
    const result = parseSvwar(SVWAR_ENUMERATED);
    expect(result.outcome).toBe('scanned');
    expect(result.extensions).toEqual([{ extension: 'anna', authentication: 'reqauth' }, { extension: '101', authentication: 'noauth' }]);
    expect(result.tried).toEqual(['admin', 'anna', '101']);
  });

  it('svwar: tells "a made-up name is challenged too" and "no answer" from a scan that ran', () => {
    expect(parseSvwar(SVWAR_UNKNOWN_CHALLENGED)).toMatchObject({ outcome: 'unknown-challenged', extensions: [] });
    expect(parseSvwar('ERROR:TakeASip:No server response - are you sure that this PBX is listening? run svmap against it to find out\n').outcome).toBe('no-response');
    expect(parseSvwar('Traceback (most recent call last):\n  File "x"\nOSError: boom\n').outcome).toBe('error');
  });

  it('svcrack: a password found, from the table or from the log line alone', () => {
    expect(parseSvcrack(SVCRACK_FOUND)).toEqual({ cracked: [{ extension: 'pavel', password: 'demo-pass-1' }], tried: ['demo-pass-1'], outcome: 'finished', detail: '1 passwords tried' });
    expect(parseSvcrack('DEBUG:x:trying a\nINFO:ASipOfRedWine:The password for anna is s3cret\n').cracked).toEqual([{ extension: 'anna', password: 's3cret' }]);
  });

  it('svcrack: nothing found, with every password it sent in order', () => {
    expect(parseSvcrack(SVCRACK_NOTHING)).toMatchObject({ cracked: [], tried: ['123456', 'password', 'demo-pass-1', 'hunter2'], outcome: 'finished' });
    expect(parseSvcrack('ERROR:ASipOfRedWine:no server response\n').outcome).toBe('no-response');
  });

  it('reads the address the shim bound the tool to', () => {
    expect(boundAddress(SVCRACK_NOTHING)).toBe('127.0.0.2');
    expect(boundAddress('WARNING:root:found nothing')).toBeNull();
  });
});
