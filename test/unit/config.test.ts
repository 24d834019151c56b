import { mkdtempSync, writeFileSync, copyFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, ConfigError } from '../../src/config/load-config';
import { rtpengineTargets } from '../../src/config/rtpengine-targets';

const repoConfig = path.resolve(__dirname, '..', '..', 'config');

function configDirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sb-config-'));
  copyFileSync(path.join(repoConfig, 'default.yaml'), path.join(dir, 'default.yaml'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

function errorOf(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('config module', () => {
  it('gives a working local system with no configuration at all, frozen', () => {
    const config = loadConfig({ env: {} });
    expect(config.http.port).toBe(3000);
    expect(config.phone.defaultCountry).toBe('RU');
    expect(config.database.url).toBeNull();
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.http)).toBe(true);
  });

  it('takes environment variables over files, converting numbers and lists', () => {
    const config = loadConfig({ env: { PORT: '8081', DATABASE_URL: 'postgres://x@db/sb', SIP_TRUNKS: '10.0.0.1, 10.0.1.0/24', SEED_DEMO: 'false', DEFAULT_COUNTRY: 'PL' } });
    expect(config.http.port).toBe(8081);
    expect(config.database.url).toBe('postgres://x@db/sb');
    expect(config.sip.trunks).toEqual(['10.0.0.1', '10.0.1.0/24']);
    expect(config.demo.seedOnFirstStart).toBe(false);
    expect(config.phone.defaultCountry).toBe('PL');
  });

  it('names the bad key and the variable that set it', () => {
    expect(errorOf(() => loadConfig({ env: { PORT: 'eighty' } }))).toMatch(/^invalid configuration: http\.port \(set by PORT\) .*; got "eighty"$/);
    expect(errorOf(() => loadConfig({ env: { PORT: '70000' } }))).toMatch(/http\.port \(set by PORT\) .*65535/);
    expect(errorOf(() => loadConfig({ env: { LOG_LEVEL: 'loud' } }))).toMatch(/log\.level \(set by LOG_LEVEL\)/);
    expect(errorOf(() => loadConfig({ env: { DEFAULT_COUNTRY: 'Russia' } }))).toMatch(/phone\.defaultCountry/);
  });

  it('keeps outbound calls to the home country by default, two at once per person, and takes the policy from the environment (issue 15)', () => {
    expect(loadConfig({ env: {} }).outbound).toEqual({
      allowedPrefixes: [], deniedPrefixes: [], allowInternational: false, allowPremium: false, premiumPrefixes: [],
      emergencyNumbers: ['112', '101', '102', '103', '104', '911', '999'], maxCallsPerUser: 2,
    });
    const config = loadConfig({ env: {
      OUTBOUND_ALLOWED_PREFIXES: '+40, +373', OUTBOUND_DENIED_PREFIXES: '+7800', OUTBOUND_ALLOW_INTERNATIONAL: 'true', OUTBOUND_ALLOW_PREMIUM: 'no',
      OUTBOUND_PREMIUM_PREFIXES: '+7495999', OUTBOUND_EMERGENCY_NUMBERS: '112', OUTBOUND_MAX_CALLS_PER_USER: '3',
    } });
    expect(config.outbound).toEqual({
      allowedPrefixes: ['+40', '+373'], deniedPrefixes: ['+7800'], allowInternational: true, allowPremium: false, premiumPrefixes: ['+7495999'],
      emergencyNumbers: ['112'], maxCallsPerUser: 3,
    });
    expect(errorOf(() => loadConfig({ env: { OUTBOUND_DENIED_PREFIXES: '8800' } }))).toMatch(/outbound\.deniedPrefixes\.0 \(set by OUTBOUND_DENIED_PREFIXES\)/);
    expect(errorOf(() => loadConfig({ env: { OUTBOUND_MAX_CALLS_PER_USER: '0' } }))).toMatch(/outbound\.maxCallsPerUser \(set by OUTBOUND_MAX_CALLS_PER_USER\)/);
  });

  it('sheds hotline calls under overload with limits for this machine by default, each settable by the environment (issue 16)', () => {
    expect(loadConfig({ env: {} }).overload).toEqual({ maxLiveCalls: 3000, ngLatencyMs: 100, eventLoopDelayMs: 100, maxCallsPerSecond: 0, retryAfterSeconds: 5 });
    const config = loadConfig({ env: {
      OVERLOAD_MAX_LIVE_CALLS: '5', OVERLOAD_NG_LATENCY_MS: '40', OVERLOAD_EVENT_LOOP_DELAY_MS: '0', OVERLOAD_MAX_CALLS_PER_SECOND: '12.5', OVERLOAD_RETRY_AFTER_SECONDS: '30',
    } });
    expect(config.overload).toEqual({ maxLiveCalls: 5, ngLatencyMs: 40, eventLoopDelayMs: 0, maxCallsPerSecond: 12.5, retryAfterSeconds: 30 });
    // A bound at or past the ng command timeout (2 s) would let calls time out before any is shed.
    expect(errorOf(() => loadConfig({ env: { OVERLOAD_NG_LATENCY_MS: '2000' } }))).toMatch(/overload\.ngLatencyMs \(set by OVERLOAD_NG_LATENCY_MS\) .*1500/);
    expect(errorOf(() => loadConfig({ env: { OVERLOAD_MAX_LIVE_CALLS: '-1' } }))).toMatch(/overload\.maxLiveCalls \(set by OVERLOAD_MAX_LIVE_CALLS\)/);
    expect(errorOf(() => loadConfig({ env: { OVERLOAD_RETRY_AFTER_SECONDS: '0' } }))).toMatch(/overload\.retryAfterSeconds \(set by OVERLOAD_RETRY_AFTER_SECONDS\)/);
    expect(errorOf(() => loadConfig({ env: { OVERLOAD_MAX_LIVE_CALLS: 'many' } }))).toMatch(/overload\.maxLiveCalls .*got "many"/);
  });

  it('names a bad key that came from a file, and an unknown key', () => {
    const dir = configDirWith({ 'local.yaml': 'redis:\n  port: -1\n' });
    expect(errorOf(() => loadConfig({ configDir: dir, env: {} }))).toMatch(/^invalid configuration: redis\.port /);
    const typo = configDirWith({ 'local.yaml': 'http:\n  prot: 3000\n' });
    expect(errorOf(() => loadConfig({ configDir: typo, env: {} }))).toMatch(/http\.prot/);
  });

  it('merges config/<mode>.yaml over the defaults', () => {
    const dir = configDirWith({ 'test.yaml': 'http:\n  port: 4444\n' });
    expect(loadConfig({ configDir: dir, env: { NODE_ENV: 'test' } }).http.port).toBe(4444);
  });

  it('refuses broken YAML with the file name', () => {
    const dir = configDirWith({ 'local.yaml': 'http: [unclosed\n' });
    expect(errorOf(() => loadConfig({ configDir: dir, env: {} }))).toMatch(/local\.yaml is not valid YAML/);
  });

  it('refuses a monitoring network it cannot read, naming the variable', () => {
    expect(errorOf(() => loadConfig({ env: { MONITORING_NETWORKS: '10.0.0.0/8,office' } }))).toMatch(/http\.monitoringNetworks \(MONITORING_NETWORKS\): "office" is not a network/);
    expect(loadConfig({ env: {} }).http.monitoringNetworks).toEqual(['127.0.0.0/8', '::1/128']);
  });

  it('refuses production with the drachtio secret everyone knows, or with the local trust-auth Postgres, naming each', () => {
    const production = { NODE_ENV: 'production', ADMIN_PASSWORD: 'long-enough-pw', DRACHTIO_SECRET: 'site-own-secret', DATABASE_URL: 'postgres://sb:pw@db.example/switchboard', SIP_NONCE_SECRET: 'a-site-nonce-secret-of-its-own' };
    expect(errorOf(() => loadConfig({ env: { ...production, DRACHTIO_SECRET: '' } }))).toMatch(/DRACHTIO_SECRET.*default "cymru"/);
    expect(errorOf(() => loadConfig({ env: { ...production, DATABASE_URL: '' } }))).toMatch(/DATABASE_URL.*required in production.*trust/);
    const both = errorOf(() => loadConfig({ env: { NODE_ENV: 'production', ADMIN_PASSWORD: 'long-enough-pw' } }));
    expect(both).toMatch(/DRACHTIO_SECRET/);
    expect(both).toMatch(/DATABASE_URL/);
    // Development keeps its defaults.
    expect(loadConfig({ env: {} }).drachtio.secret).toBe('cymru');
  });

  it('reads the SIP registration limits (issue 15): nonce secret required in production, exempt networks checked, bindings per person', () => {
    const production = { NODE_ENV: 'production', ADMIN_PASSWORD: 'long-enough-pw', DRACHTIO_SECRET: 'site-own-secret', DATABASE_URL: 'postgres://sb:pw@db.example/switchboard' };
    expect(errorOf(() => loadConfig({ env: production }))).toMatch(/sip\.nonceSecret \(SIP_NONCE_SECRET\) is required in production/);
    expect(errorOf(() => loadConfig({ env: { ...production, SIP_NONCE_SECRET: 'short' } }))).toMatch(/sip\.nonceSecret/);
    expect(loadConfig({ env: { ...production, SIP_NONCE_SECRET: 'a-site-nonce-secret-of-its-own' } }).sip.nonceSecret).toBe('a-site-nonce-secret-of-its-own');
    const development = loadConfig({ env: {} });
    expect(development.sip).toMatchObject({ nonceSecret: null, authExemptNetworks: [], maxBindingsPerPerson: 5 });
    expect(loadConfig({ env: { SIP_AUTH_EXEMPT_NETWORKS: '10.20.0.0/16, 192.0.2.0/24', SIP_MAX_BINDINGS: '3' } }).sip).toMatchObject({ authExemptNetworks: ['10.20.0.0/16', '192.0.2.0/24'], maxBindingsPerPerson: 3 });
    expect(errorOf(() => loadConfig({ env: { SIP_AUTH_EXEMPT_NETWORKS: '10.20.0.0/16,office' } }))).toMatch(/sip\.authExemptNetworks \(SIP_AUTH_EXEMPT_NETWORKS\): "office" is not a network/);
    expect(errorOf(() => loadConfig({ env: { SIP_MAX_BINDINGS: '0' } }))).toMatch(/sip\.maxBindingsPerPerson/);
  });

  it('refuses production without an admin password, and an inverted RTP port range', () => {
    expect(errorOf(() => loadConfig({ env: { NODE_ENV: 'production' } }))).toMatch(/ADMIN_PASSWORD.*required in production/);
    const production = { NODE_ENV: 'production', ADMIN_PASSWORD: 'long-enough-pw', DRACHTIO_SECRET: 'site-own-secret', DATABASE_URL: 'postgres://sb:pw@db.example/switchboard', SIP_NONCE_SECRET: 'a-site-nonce-secret-of-its-own' };
    expect(loadConfig({ env: production }).mode).toBe('production');
    const dir = configDirWith({ 'local.yaml': 'rtpengine:\n  portMin: 40000\n  portMax: 30000\n' });
    expect(errorOf(() => loadConfig({ configDir: dir, env: {} }))).toMatch(/portMin must be below/);
  });

  it('serves TLS by default with a generated certificate, the public address found at start', () => {
    const config = loadConfig({ env: {} });
    expect(config.tls).toEqual({ enabled: true, certFile: null, keyFile: null, chainFile: null, names: [] });
    expect(config.network.publicAddress).toBeNull();
    expect(config.rtpengine.interface).toBeNull();
    expect(config.http.plainHealth).toBe(true);
    expect([config.drachtio.sipPort, config.drachtio.wssPort, config.drachtio.tlsPort]).toEqual([5060, 8443, 5061]);
    expect(config.sip.iceServers).toEqual([]);
  });

  it('takes a real certificate, the public address, extra names and ICE servers from the environment', () => {
    const config = loadConfig({ env: {
      TLS_CERT_FILE: '/etc/ssl/site/fullchain.pem', TLS_KEY_FILE: '/etc/ssl/site/privkey.pem', TLS_NAMES: 'switchboard.office.example, 203.0.113.7',
      PUBLIC_ADDRESS: '10.1.2.3', RTPENGINE_INTERFACE: '10.1.2.4', SIP_ICE_SERVERS: 'stun:stun.office.example:3478', HTTP_PLAIN_HEALTH: 'false',
      DRACHTIO_WSS_PORT: '7443', DRACHTIO_TLS_PORT: '5062',
    } });
    expect(config.tls).toMatchObject({ enabled: true, certFile: '/etc/ssl/site/fullchain.pem', keyFile: '/etc/ssl/site/privkey.pem', names: ['switchboard.office.example', '203.0.113.7'] });
    expect(config.network.publicAddress).toBe('10.1.2.3');
    expect(config.rtpengine.interface).toBe('10.1.2.4');
    expect(config.sip.iceServers).toEqual([{ urls: 'stun:stun.office.example:3478' }]);
    expect(config.http.plainHealth).toBe(false);
    expect([config.drachtio.wssPort, config.drachtio.tlsPort]).toEqual([7443, 5062]);
  });

  it('takes TURN credentials from a config file', () => {
    const dir = configDirWith({ 'local.yaml': 'sip:\n  iceServers:\n    - { urls: "turn:turn.office.example:3478", username: office, credential: s3cret }\n' });
    expect(loadConfig({ configDir: dir, env: {} }).sip.iceServers).toEqual([{ urls: 'turn:turn.office.example:3478', username: 'office', credential: 's3cret' }]);
  });

  it('refuses half a certificate, a certificate with TLS off, clashing SIP ports, a bad address or ICE server, naming the variable', () => {
    expect(errorOf(() => loadConfig({ env: { TLS_CERT_FILE: '/x/cert.pem' } }))).toMatch(/tls\.certFile \(TLS_CERT_FILE\) and tls\.keyFile \(TLS_KEY_FILE\) go together/);
    expect(errorOf(() => loadConfig({ env: { TLS: 'false', TLS_CERT_FILE: '/x/c.pem', TLS_KEY_FILE: '/x/k.pem' } }))).toMatch(/tls\.certFile is set but tls\.enabled \(TLS\) is false/);
    expect(errorOf(() => loadConfig({ env: { DRACHTIO_WSS_PORT: '5061' } }))).toMatch(/drachtio\.sipPort, drachtio\.wssPort and drachtio\.tlsPort must differ; got 5060, 5061, 5061/);
    expect(errorOf(() => loadConfig({ env: { PUBLIC_ADDRESS: 'office.example' } }))).toMatch(/network\.publicAddress \(set by PUBLIC_ADDRESS\)/);
    expect(errorOf(() => loadConfig({ env: { TLS: 'maybe' } }))).toMatch(/tls\.enabled \(set by TLS\)/);
    expect(errorOf(() => loadConfig({ env: { SIP_ICE_SERVERS: 'http://stun.example' } }))).toMatch(/sip\.iceServers\.0\.urls \(set by SIP_ICE_SERVERS\)|sip\.iceServers/);
    expect(errorOf(() => loadConfig({ env: { TLS_NAMES: 'bad name!' } }))).toMatch(/tls\.names\.0 \(set by TLS_NAMES\)/);
  });

  it('uses one Redis by default, and Redis Sentinel when sentinels are named', () => {
    expect(loadConfig({ env: {} }).redis).toEqual({ url: null, port: 6380, sentinels: [], sentinelName: 'mymaster', password: null, sentinelPassword: null });
    const config = loadConfig({ env: {
      REDIS_SENTINELS: 'redis-a:26379, 10.0.0.7:26380,[fd00::5]:26381,sentinel-c', REDIS_SENTINEL_NAME: 'switchboard',
      REDIS_PASSWORD: 'data-secret', REDIS_SENTINEL_PASSWORD: 'sentinel-secret',
    } });
    expect(config.redis).toEqual({
      url: null, port: 6380, sentinels: ['redis-a:26379', '10.0.0.7:26380', '[fd00::5]:26381', 'sentinel-c'], sentinelName: 'switchboard',
      password: 'data-secret', sentinelPassword: 'sentinel-secret',
    });
    const dir = configDirWith({ 'local.yaml': 'redis:\n  sentinels: ["10.0.0.5:26379", "10.0.0.6:26379"]\n' });
    expect(loadConfig({ configDir: dir, env: {} }).redis.sentinels).toEqual(['10.0.0.5:26379', '10.0.0.6:26379']);
  });

  it('takes one external rtpengine by RTPENGINE_URL, or several by RTPENGINE_URLS with a recording folder each, in order', () => {
    const none = loadConfig({ env: {} });
    expect(rtpengineTargets(none.rtpengine)).toEqual([]);
    expect(none.rtpengine).toMatchObject({ url: null, urls: [], recordingDir: null, recordingDirs: [] });

    const one = loadConfig({ env: { RTPENGINE_URL: 'udp://10.0.0.5:22222', RTPENGINE_RECORDING_DIR: '/mnt/rtp' } });
    expect(rtpengineTargets(one.rtpengine)).toEqual([{ url: 'udp://10.0.0.5:22222', host: '10.0.0.5', port: 22222, recordingDir: '/mnt/rtp' }]);
    // The port may be left out (rtpengine's own 22222); IPv6 in brackets.
    expect(rtpengineTargets(loadConfig({ env: { RTPENGINE_URL: 'udp://media-1' } }).rtpengine)).toEqual([{ url: 'udp://media-1:22222', host: 'media-1', port: 22222, recordingDir: null }]);

    const two = loadConfig({ env: { RTPENGINE_URLS: 'udp://10.0.0.5:22222, udp://[fd00::6]:22223', RTPENGINE_RECORDING_DIRS: '/mnt/rtp-a,/mnt/rtp-b' } });
    expect(two.rtpengine.urls).toEqual(['udp://10.0.0.5:22222', 'udp://[fd00::6]:22223']);
    expect(rtpengineTargets(two.rtpengine)).toEqual([
      { url: 'udp://10.0.0.5:22222', host: '10.0.0.5', port: 22222, recordingDir: '/mnt/rtp-a' },
      { url: 'udp://[fd00::6]:22223', host: 'fd00::6', port: 22223, recordingDir: '/mnt/rtp-b' },
    ]);
    // A one-item list is the single URL written the other way.
    expect(rtpengineTargets(loadConfig({ env: { RTPENGINE_URLS: 'udp://10.0.0.5:22222', RTPENGINE_RECORDING_DIR: '/mnt/rtp' } }).rtpengine))
      .toEqual(rtpengineTargets(one.rtpengine));
    const dir = configDirWith({ 'local.yaml': 'rtpengine:\n  urls: ["udp://h1:22222", "udp://h2:22222"]\n  recordingDirs: ["/r/1", "/r/2"]\n' });
    expect(rtpengineTargets(loadConfig({ configDir: dir, env: {} }).rtpengine).map((t) => [t.url, t.recordingDir])).toEqual([['udp://h1:22222', '/r/1'], ['udp://h2:22222', '/r/2']]);
  });

  it('refuses an rtpengine URL that is not udp://host:port, one named twice, both ways of naming them, and recording folders that do not match, naming the variables', () => {
    expect(errorOf(() => loadConfig({ env: { RTPENGINE_URL: '10.0.0.5:22222' } })))
      .toBe('invalid configuration: rtpengine.url (RTPENGINE_URL) must be udp://host:port (IPv6 in brackets: udp://10.0.0.5:22222, udp://[fd00::5]:22222); got "10.0.0.5:22222"');
    expect(errorOf(() => loadConfig({ env: { RTPENGINE_URLS: 'udp://h1:22222,udp://h2:99999', RTPENGINE_RECORDING_DIRS: '/a,/b' } })))
      .toMatch(/^invalid configuration: rtpengine\.urls\.1 \(RTPENGINE_URLS\) must be udp:\/\/host:port .*; got "udp:\/\/h2:99999"$/);
    expect(errorOf(() => loadConfig({ env: { RTPENGINE_URLS: 'udp://h1:22222,tcp://h2:22222', RTPENGINE_RECORDING_DIRS: '/a,/b' } }))).toMatch(/rtpengine\.urls\.1 \(RTPENGINE_URLS\)/);
    expect(errorOf(() => loadConfig({ env: { RTPENGINE_URLS: 'udp://h1,udp://h1:22222', RTPENGINE_RECORDING_DIRS: '/a,/b' } })))
      .toMatch(/rtpengine\.urls \(RTPENGINE_URLS\) names udp:\/\/h1:22222 twice \(items 0 and 1\)/);
    expect(errorOf(() => loadConfig({ env: { RTPENGINE_URL: 'udp://h1:22222', RTPENGINE_URLS: 'udp://h2:22222' } })))
      .toMatch(/rtpengine\.url \(RTPENGINE_URL\) and rtpengine\.urls \(RTPENGINE_URLS\) exclude each other/);
    expect(errorOf(() => loadConfig({ env: { RTPENGINE_URLS: 'udp://h1:22222,udp://h2:22222' } })))
      .toMatch(/rtpengine\.recordingDirs \(RTPENGINE_RECORDING_DIRS\) must name each rtpengine's recording folder, one per URL .*; got 0 for 2 rtpengines$/);
    expect(errorOf(() => loadConfig({ env: { RTPENGINE_URLS: 'udp://h1:22222,udp://h2:22222', RTPENGINE_RECORDING_DIRS: '/a' } }))).toMatch(/got 1 for 2 rtpengines$/);
    expect(errorOf(() => loadConfig({ env: { RTPENGINE_URLS: 'udp://h1:22222,udp://h2:22222', RTPENGINE_RECORDING_DIR: '/a' } })))
      .toMatch(/rtpengine\.recordingDir \(RTPENGINE_RECORDING_DIR\) names one folder for 2 rtpengines; set rtpengine\.recordingDirs \(RTPENGINE_RECORDING_DIRS\) instead/);
    expect(errorOf(() => loadConfig({ env: { RTPENGINE_URL: 'udp://h1:22222', RTPENGINE_RECORDING_DIR: '/a', RTPENGINE_RECORDING_DIRS: '/b' } })))
      .toMatch(/rtpengine\.recordingDir \(RTPENGINE_RECORDING_DIR\) and rtpengine\.recordingDirs \(RTPENGINE_RECORDING_DIRS\) exclude each other/);
    expect(errorOf(() => loadConfig({ env: { RTPENGINE_RECORDING_DIRS: '/a' } })))
      .toMatch(/rtpengine\.recordingDirs \(RTPENGINE_RECORDING_DIRS\) is for external rtpengines \(RTPENGINE_URLS\)/);
  });

  it('refuses a sentinel that is not host:port, a URL beside sentinels, a bad name, and passwords without Sentinel', () => {
    expect(errorOf(() => loadConfig({ env: { REDIS_SENTINELS: 'h1:26379,h2:70000' } })))
      .toBe('invalid configuration: redis.sentinels.1 (REDIS_SENTINELS) must be host:port (port 1–65535, IPv6 in brackets: 10.0.0.5:26379, [fd00::5]:26379); got "h2:70000"');
    expect(errorOf(() => loadConfig({ env: { REDIS_SENTINELS: 'fd00::5:26379' } }))).toMatch(/redis\.sentinels\.0 \(REDIS_SENTINELS\) must be host:port.*got "fd00::5:26379"$/);
    expect(errorOf(() => loadConfig({ env: { REDIS_SENTINELS: 'h1:port' } }))).toMatch(/redis\.sentinels\.0 .*got "h1:port"$/);
    expect(errorOf(() => loadConfig({ env: { REDIS_SENTINELS: 'h1:26379', REDIS_URL: 'redis://cache:6379' } })))
      .toMatch(/redis\.url \(REDIS_URL\) and redis\.sentinels \(REDIS_SENTINELS\) exclude each other/);
    expect(errorOf(() => loadConfig({ env: { REDIS_SENTINELS: 'h1:26379', REDIS_SENTINEL_NAME: 'my master' } }))).toMatch(/^invalid configuration: redis\.sentinelName \(set by REDIS_SENTINEL_NAME\) .*; got "my master"$/);
    expect(errorOf(() => loadConfig({ env: { REDIS_PASSWORD: 'data-secret' } }))).toMatch(/redis\.password \(REDIS_PASSWORD\) is used with redis\.sentinels \(REDIS_SENTINELS\) only; with REDIS_URL the password goes in the URL/);
    expect(errorOf(() => loadConfig({ env: { REDIS_URL: 'redis://cache:6379', REDIS_SENTINEL_PASSWORD: 'x' } }))).toMatch(/redis\.sentinelPassword \(REDIS_SENTINEL_PASSWORD\) is used with redis\.sentinels/);
  });
});
