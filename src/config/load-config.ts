import { monitoringNetworkProblem } from '../network/monitoring-access';
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { ConfigSchema, type AppConfig } from './config-schema';
import { projectRoot } from '../platform/project-root';
import { deepFreeze } from '../platform/deep-freeze';
import { parseSentinelAddress } from './sentinel-address';
import { parseRtpengineUrl } from './rtpengine-targets';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/**
 * Environment variables and the config key each one sets. Numbers and booleans
 * are converted here so that the schema, not a parse error, names a bad value.
 */
const ENV_KEYS: ReadonlyArray<{ env: string; key: string; kind: 'string' | 'number' | 'boolean' | 'list' }> = [
  { env: 'NODE_ENV', key: 'mode', kind: 'string' },
  { env: 'SWITCHBOARD_DATA_DIR', key: 'dataDir', kind: 'string' },
  { env: 'LOG_LEVEL', key: 'log.level', kind: 'string' },
  { env: 'HOST', key: 'http.host', kind: 'string' },
  { env: 'PORT', key: 'http.port', kind: 'number' },
  { env: 'HTTP_PLAIN_HEALTH', key: 'http.plainHealth', kind: 'boolean' },
  { env: 'MONITORING_NETWORKS', key: 'http.monitoringNetworks', kind: 'list' },
  { env: 'MONITORING_TOKEN', key: 'http.monitoringToken', kind: 'string' },
  { env: 'SHUTDOWN_DRAIN_SECONDS', key: 'shutdown.drainSeconds', kind: 'number' },
  { env: 'CALL_MAX_WAIT_SECONDS', key: 'calls.maxWaitSeconds', kind: 'number' },
  { env: 'CALL_MAX_SECONDS', key: 'calls.maxCallSeconds', kind: 'number' },
  { env: 'CALL_KEEPALIVE_SECONDS', key: 'calls.keepaliveSeconds', kind: 'number' },
  { env: 'OVERLOAD_MAX_LIVE_CALLS', key: 'overload.maxLiveCalls', kind: 'number' },
  { env: 'OVERLOAD_NG_LATENCY_MS', key: 'overload.ngLatencyMs', kind: 'number' },
  { env: 'OVERLOAD_EVENT_LOOP_DELAY_MS', key: 'overload.eventLoopDelayMs', kind: 'number' },
  { env: 'OVERLOAD_MAX_CALLS_PER_SECOND', key: 'overload.maxCallsPerSecond', kind: 'number' },
  { env: 'OVERLOAD_RETRY_AFTER_SECONDS', key: 'overload.retryAfterSeconds', kind: 'number' },
  { env: 'PUBLIC_ADDRESS', key: 'network.publicAddress', kind: 'string' },
  { env: 'TLS', key: 'tls.enabled', kind: 'boolean' },
  { env: 'TLS_CERT_FILE', key: 'tls.certFile', kind: 'string' },
  { env: 'TLS_KEY_FILE', key: 'tls.keyFile', kind: 'string' },
  { env: 'TLS_CHAIN_FILE', key: 'tls.chainFile', kind: 'string' },
  { env: 'TLS_NAMES', key: 'tls.names', kind: 'list' },
  { env: 'ADMIN_USER', key: 'auth.adminUser', kind: 'string' },
  { env: 'ADMIN_PASSWORD', key: 'auth.adminPassword', kind: 'string' },
  { env: 'TOKEN_TTL_HOURS', key: 'auth.tokenTtlHours', kind: 'number' },
  { env: 'URL_TICKET_TTL_SECONDS', key: 'auth.urlTicketTtlSeconds', kind: 'number' },
  { env: 'SOCKET_RECHECK_SECONDS', key: 'auth.socketRecheckSeconds', kind: 'number' },
  { env: 'DEFAULT_COUNTRY', key: 'phone.defaultCountry', kind: 'string' },
  { env: 'CALLING_WINDOW_START', key: 'callingRules.window.start', kind: 'string' },
  { env: 'CALLING_WINDOW_END', key: 'callingRules.window.end', kind: 'string' },
  { env: 'CALLBACK_MAX_ATTEMPTS', key: 'callingRules.callbackRetry.maxAttempts', kind: 'number' },
  { env: 'CALLBACK_RETRY_DELAY_SECONDS', key: 'callingRules.callbackRetry.retryDelaySeconds', kind: 'number' },
  { env: 'DATABASE_URL', key: 'database.url', kind: 'string' },
  { env: 'EMBEDDED_PG_PORT', key: 'database.embedded.port', kind: 'number' },
  { env: 'REDIS_URL', key: 'redis.url', kind: 'string' },
  { env: 'REDIS_PORT', key: 'redis.port', kind: 'number' },
  { env: 'REDIS_SENTINELS', key: 'redis.sentinels', kind: 'list' },
  { env: 'REDIS_SENTINEL_NAME', key: 'redis.sentinelName', kind: 'string' },
  { env: 'REDIS_PASSWORD', key: 'redis.password', kind: 'string' },
  { env: 'REDIS_SENTINEL_PASSWORD', key: 'redis.sentinelPassword', kind: 'string' },
  { env: 'RTPENGINE_URL', key: 'rtpengine.url', kind: 'string' },
  { env: 'RTPENGINE_URLS', key: 'rtpengine.urls', kind: 'list' },
  { env: 'RTPENGINE_BINARY', key: 'rtpengine.binary', kind: 'string' },
  { env: 'RTPENGINE_NG_PORT', key: 'rtpengine.ngPort', kind: 'number' },
  { env: 'RTPENGINE_INTERFACE', key: 'rtpengine.interface', kind: 'string' },
  { env: 'RTPENGINE_PORT_MIN', key: 'rtpengine.portMin', kind: 'number' },
  { env: 'RTPENGINE_PORT_MAX', key: 'rtpengine.portMax', kind: 'number' },
  { env: 'RTPENGINE_DTMF_LOG_PORT', key: 'rtpengine.dtmfLogPort', kind: 'number' },
  { env: 'RTPENGINE_RECORDING_DIR', key: 'rtpengine.recordingDir', kind: 'string' },
  { env: 'RTPENGINE_RECORDING_DIRS', key: 'rtpengine.recordingDirs', kind: 'list' },
  { env: 'DRACHTIO_HOST', key: 'drachtio.host', kind: 'string' },
  { env: 'DRACHTIO_PORT', key: 'drachtio.port', kind: 'number' },
  { env: 'DRACHTIO_SECRET', key: 'drachtio.secret', kind: 'string' },
  { env: 'DRACHTIO_BINARY', key: 'drachtio.binary', kind: 'string' },
  { env: 'DRACHTIO_SIP_PORT', key: 'drachtio.sipPort', kind: 'number' },
  { env: 'DRACHTIO_WS_PORT', key: 'drachtio.wsPort', kind: 'number' },
  { env: 'DRACHTIO_WSS_PORT', key: 'drachtio.wssPort', kind: 'number' },
  { env: 'DRACHTIO_TLS_PORT', key: 'drachtio.tlsPort', kind: 'number' },
  { env: 'SIP_REALM', key: 'sip.realm', kind: 'string' },
  { env: 'SIP_TRUNKS', key: 'sip.trunks', kind: 'list' },
  { env: 'SIP_ICE_SERVERS', key: 'sip.iceServers', kind: 'list' },
  { env: 'SIP_MAX_BINDINGS', key: 'sip.maxBindingsPerPerson', kind: 'number' },
  { env: 'SIP_AUTH_EXEMPT_NETWORKS', key: 'sip.authExemptNetworks', kind: 'list' },
  { env: 'SIP_NONCE_SECRET', key: 'sip.nonceSecret', kind: 'string' },
  { env: 'SEED_DEMO', key: 'demo.seedOnFirstStart', kind: 'boolean' },
  { env: 'DEMO_ALWAYS_OPEN', key: 'demo.alwaysOpen', kind: 'boolean' },
  { env: 'OUTBOUND_ALLOWED_PREFIXES', key: 'outbound.allowedPrefixes', kind: 'list' },
  { env: 'OUTBOUND_DENIED_PREFIXES', key: 'outbound.deniedPrefixes', kind: 'list' },
  { env: 'OUTBOUND_ALLOW_INTERNATIONAL', key: 'outbound.allowInternational', kind: 'boolean' },
  { env: 'OUTBOUND_ALLOW_PREMIUM', key: 'outbound.allowPremium', kind: 'boolean' },
  { env: 'OUTBOUND_PREMIUM_PREFIXES', key: 'outbound.premiumPrefixes', kind: 'list' },
  { env: 'OUTBOUND_EMERGENCY_NUMBERS', key: 'outbound.emergencyNumbers', kind: 'list' },
  { env: 'OUTBOUND_MAX_CALLS_PER_USER', key: 'outbound.maxCallsPerUser', kind: 'number' },
  { env: 'RECORDING_RETENTION_DAYS', key: 'recordings.retentionDays', kind: 'number' },
  { env: 'REPORTS_TIME_ZONE', key: 'reports.timeZone', kind: 'string' },
  { env: 'CALL_MONITORING_ANNOUNCE', key: 'callMonitoring.announce', kind: 'string' },
  { env: 'CALL_MONITORING_QUALITY_MAY_WHISPER', key: 'callMonitoring.qualityMayWhisper', kind: 'boolean' },
  { env: 'CALL_MONITORING_UNASSIGNED_SUPERVISORS_SEE_ALL', key: 'callMonitoring.unassignedSupervisorsSeeAllQueues', kind: 'boolean' },
];

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function deepMerge(base: JsonObject, over: JsonObject): JsonObject {
  const out: JsonObject = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const current = out[k];
    out[k] = isObject(current) && isObject(v) ? deepMerge(current, v) : v;
  }
  return out;
}

function setPath(target: JsonObject, dotted: string, value: Json): void {
  const parts = dotted.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (!isObject(next)) node[part] = {};
    node = node[part] as JsonObject;
  }
  node[parts[parts.length - 1] as string] = value;
}

function envValue(raw: string, kind: 'string' | 'number' | 'boolean' | 'list'): Json {
  switch (kind) {
    case 'string':
      return raw;
    case 'number':
      return raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
    case 'boolean':
      if (/^(1|true|yes|on)$/i.test(raw)) return true;
      if (/^(0|false|no|off)$/i.test(raw)) return false;
      return raw;
    case 'list':
      return raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  }
}

/** SIP_ICE_SERVERS names URLs only; the schema wants RTCIceServer objects (credentials come from YAML). */
function envSetting(name: string, raw: string, kind: 'string' | 'number' | 'boolean' | 'list'): Json {
  const value = envValue(raw, kind);
  return name === 'SIP_ICE_SERVERS' && Array.isArray(value) ? value.map((urls) => ({ urls })) : value;
}

function readYaml(file: string): JsonObject {
  let parsed: unknown;
  try {
    parsed = parseYaml(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(`config file ${file} is not valid YAML: ${(err as Error).message}`);
  }
  if (parsed === null || parsed === undefined) return {};
  if (!isObject(parsed)) throw new ConfigError(`config file ${file} must hold a mapping at the top level`);
  return parsed;
}

const checkConfig = TypeCompiler.Compile(ConfigSchema);

export interface LoadConfigOptions {
  configDir?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * Reads config/default.yaml, config/<mode>.yaml, config/local.yaml and the
 * environment, validates the result and returns it frozen. Throws ConfigError
 * naming the first bad key (and the variable that set it, if any).
 */
export function loadConfig(options: LoadConfigOptions = {}): Readonly<AppConfig> {
  const env = options.env ?? process.env;
  const configDir = options.configDir ?? path.join(projectRoot(), 'config');
  const defaultFile = path.join(configDir, 'default.yaml');
  if (!existsSync(defaultFile)) throw new ConfigError(`config file ${defaultFile} is missing`);

  let merged = readYaml(defaultFile);
  const mode = env.NODE_ENV ?? (typeof merged.mode === 'string' ? merged.mode : 'development');
  for (const extra of [`${mode}.yaml`, 'local.yaml']) {
    const file = path.join(configDir, extra);
    if (existsSync(file)) merged = deepMerge(merged, readYaml(file));
  }

  const setByEnv = new Map<string, string>();
  for (const { env: name, key, kind } of ENV_KEYS) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    setPath(merged, key, envSetting(name, raw, kind));
    setByEnv.set(key, name);
  }

  const firstError = checkConfig.Errors(merged).First();
  if (firstError) {
    const key = firstError.path.replace(/^\//, '').replace(/\//g, '.') || '(top level)';
    // A list item (`tls.names.0`) was set by the variable that set its list.
    const fromEnv = setByEnv.get(key) ?? setByEnv.get(key.replace(/\.[0-9]+(\..*)?$/, ''));
    const source = fromEnv ? ` (set by ${fromEnv})` : '';
    const shown = firstError.value === undefined ? 'missing' : JSON.stringify(firstError.value);
    throw new ConfigError(`invalid configuration: ${key}${source} ${firstError.message.toLowerCase()}; got ${shown}`);
  }
  const config = merged as unknown as AppConfig;
  if (config.rtpengine.portMin >= config.rtpengine.portMax) {
    throw new ConfigError('invalid configuration: rtpengine.portMin must be below rtpengine.portMax');
  }
  checkRtpengines(config.rtpengine);
  if ((config.tls.certFile === null) !== (config.tls.keyFile === null)) {
    throw new ConfigError('invalid configuration: tls.certFile (TLS_CERT_FILE) and tls.keyFile (TLS_KEY_FILE) go together: set both, or neither for a generated certificate');
  }
  if (!config.tls.enabled && config.tls.certFile !== null) {
    throw new ConfigError('invalid configuration: tls.certFile is set but tls.enabled (TLS) is false: the certificate would not be used');
  }
  const sipPorts = [config.drachtio.sipPort, config.tls.enabled ? config.drachtio.wssPort : config.drachtio.wsPort, ...(config.tls.enabled ? [config.drachtio.tlsPort] : [])];
  if (new Set(sipPorts).size !== sipPorts.length) {
    throw new ConfigError(`invalid configuration: drachtio.sipPort, ${config.tls.enabled ? 'drachtio.wssPort and drachtio.tlsPort' : 'drachtio.wsPort'} must differ; got ${sipPorts.join(', ')}`);
  }
  checkRedisSentinel(config.redis);
  const badNetwork = monitoringNetworkProblem(config.http.monitoringNetworks);
  if (badNetwork) throw new ConfigError(`invalid configuration: http.monitoringNetworks (MONITORING_NETWORKS): ${badNetwork}`);
  const badExempt = monitoringNetworkProblem(config.sip.authExemptNetworks);
  if (badExempt) throw new ConfigError(`invalid configuration: sip.authExemptNetworks (SIP_AUTH_EXEMPT_NETWORKS): ${badExempt}`);
  if (config.mode === 'production') checkProductionSafety(config);
  return deepFreeze(config);
}

/** The drachtio-server secret every copy of this repository ships with: anyone who reads it may drive a site's SIP. */
export const DEFAULT_DRACHTIO_SECRET = 'cymru';

/**
 * What production refuses to start with (issue 15): no admin password of its
 * own, the drachtio secret everyone knows, and the local Postgres that this
 * app starts for development, which lets any local account in (trust auth).
 * (Demo data is never loaded in production: start-system checks the mode.)
 */
function checkProductionSafety(config: AppConfig): void {
  const problems: string[] = [];
  if (!config.auth.adminPassword) problems.push('auth.adminPassword (ADMIN_PASSWORD) is required in production');
  if (config.drachtio.secret === DEFAULT_DRACHTIO_SECRET) {
    problems.push(`drachtio.secret (DRACHTIO_SECRET) is the default "${DEFAULT_DRACHTIO_SECRET}" every copy ships with: set a secret of your own here and in drachtio-server`);
  }
  if (!config.database.url) {
    problems.push('database.url (DATABASE_URL) is required in production: the local Postgres started for development lets any local account in (trust authentication)');
  }
  if (!config.sip.nonceSecret) {
    problems.push('sip.nonceSecret (SIP_NONCE_SECRET) is required in production: the key of the SIP digest nonces, at least 16 characters, the same on every process of the site');
  }
  if (problems.length > 0) throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
}

/** Sentinel's settings hang together: readable addresses, not mixed with a URL, passwords only where they are used. */
function checkRedisSentinel(redis: AppConfig['redis']): void {
  for (const [index, text] of redis.sentinels.entries()) {
    if (!parseSentinelAddress(text)) {
      throw new ConfigError(`invalid configuration: redis.sentinels.${index} (REDIS_SENTINELS) must be host:port (port 1–65535, IPv6 in brackets: 10.0.0.5:26379, [fd00::5]:26379); got ${JSON.stringify(text)}`);
    }
  }
  if (redis.sentinels.length > 0 && redis.url !== null) {
    throw new ConfigError('invalid configuration: redis.url (REDIS_URL) and redis.sentinels (REDIS_SENTINELS) exclude each other: set the sentinels to follow failovers, or one URL');
  }
  if (redis.sentinels.length === 0) {
    for (const [key, env] of [['password', 'REDIS_PASSWORD'], ['sentinelPassword', 'REDIS_SENTINEL_PASSWORD']] as const) {
      if (redis[key] !== null) {
        throw new ConfigError(`invalid configuration: redis.${key} (${env}) is used with redis.sentinels (REDIS_SENTINELS) only; with REDIS_URL the password goes in the URL (redis://:password@host:port)`);
      }
    }
  }
}

const RTPENGINE_URL_FORM = 'udp://host:port (IPv6 in brackets: udp://10.0.0.5:22222, udp://[fd00::5]:22222)';

/**
 * The external rtpengines hang together (issue 14): readable URLs, one way of
 * naming them (`url` or `urls`), none twice, and with several, each one's
 * recording folder — a survivor converts a dead process's recording from the
 * folder of the engine its call was on.
 */
function checkRtpengines(rtpengine: AppConfig['rtpengine']): void {
  if (rtpengine.url !== null && !parseRtpengineUrl(rtpengine.url)) {
    throw new ConfigError(`invalid configuration: rtpengine.url (RTPENGINE_URL) must be ${RTPENGINE_URL_FORM}; got ${JSON.stringify(rtpengine.url)}`);
  }
  const seen = new Map<string, number>();
  for (const [index, text] of rtpengine.urls.entries()) {
    const parsed = parseRtpengineUrl(text);
    if (!parsed) throw new ConfigError(`invalid configuration: rtpengine.urls.${index} (RTPENGINE_URLS) must be ${RTPENGINE_URL_FORM}; got ${JSON.stringify(text)}`);
    const earlier = seen.get(parsed.url);
    if (earlier !== undefined) {
      throw new ConfigError(`invalid configuration: rtpengine.urls (RTPENGINE_URLS) names ${parsed.url} twice (items ${earlier} and ${index}): each rtpengine once`);
    }
    seen.set(parsed.url, index);
  }
  if (rtpengine.url !== null && rtpengine.urls.length > 0) {
    throw new ConfigError('invalid configuration: rtpengine.url (RTPENGINE_URL) and rtpengine.urls (RTPENGINE_URLS) exclude each other: one rtpengine by its URL, or the list of several');
  }
  const engines = rtpengine.url !== null ? 1 : rtpengine.urls.length;
  const dirs = rtpengine.recordingDirs.length;
  if (dirs > 0 && engines === 0) {
    throw new ConfigError('invalid configuration: rtpengine.recordingDirs (RTPENGINE_RECORDING_DIRS) is for external rtpengines (RTPENGINE_URLS); the locally started one writes to rtpengine.recordingDir (RTPENGINE_RECORDING_DIR)');
  }
  if (dirs > 0 && rtpengine.recordingDir !== null) {
    throw new ConfigError('invalid configuration: rtpengine.recordingDir (RTPENGINE_RECORDING_DIR) and rtpengine.recordingDirs (RTPENGINE_RECORDING_DIRS) exclude each other: one folder for one rtpengine, or one per URL');
  }
  if (engines > 1 && rtpengine.recordingDir !== null) {
    throw new ConfigError(`invalid configuration: rtpengine.recordingDir (RTPENGINE_RECORDING_DIR) names one folder for ${engines} rtpengines; set rtpengine.recordingDirs (RTPENGINE_RECORDING_DIRS) instead, one per URL in the same order`);
  }
  if ((engines > 1 || dirs > 0) && dirs !== engines) {
    throw new ConfigError(`invalid configuration: rtpengine.recordingDirs (RTPENGINE_RECORDING_DIRS) must name each rtpengine's recording folder, one per URL in rtpengine.urls (RTPENGINE_URLS) in the same order (repeat a folder they share); got ${dirs} for ${engines} rtpengines`);
  }
}
