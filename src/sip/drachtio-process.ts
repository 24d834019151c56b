import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../logger';
import { hostPart } from '../network/machine-addresses';
import { findExecutable, startManagedProcess, stopChild, tcpPortOpen, ServiceStartError, type RunningService } from '../platform/managed-process';

export interface DrachtioProcessOptions {
  binary: string;
  adminPort: number;
  secret: string;
  /** Where SIP is served; the first is the address phones and trunks are told (contacts, Via, Record-Route). */
  listen: SipListen;
  workDir: string;
  logger?: Logger;
  /** Where drachtio-server finds the IPs to drop (see DrachtioBlacklist); omitted = no blacklist. */
  blacklist?: DrachtioBlacklist;
}

/**
 * drachtio-server's Redis blacklist (checked against drachtio-server v0.9.10,
 * src/blacklist.cpp, src/drachtio-config.cpp, src/controller.cpp): a
 * `<drachtio><sip><blacklist>` element in its config file (or the
 * `--blacklist-redis-*` flags / `DRACHTIO_BLACKLIST_REDIS_*` variables, which
 * win over the file). The server reads a Redis SET of source IP strings with
 * `SMEMBERS <redis-key>` and silently drops every SIP message whose source
 * address is a member, before any app sees it — no response at all.
 *
 * What this means for the registrar's lock-out (auth-lockout.ts):
 * - The set is loaded ONCE: the loader thread retries every 60 s until the
 *   first successful SMEMBERS and then ends; `refresh-secs` (default 3600) is
 *   not used after that. An IP locked while the server runs is therefore only
 *   dropped by drachtio-server after its next start; until then the registrar
 *   answers it 403 itself. The app's sweep removes ended locks from the set.
 * - `<redis-password>` in the file is parsed but never handed to the loader
 *   (DrachtioConfig::getBlacklistServer has no password out-parameter): use
 *   `--blacklist-redis-password` or DRACHTIO_BLACKLIST_REDIS_PASSWORD.
 * - Sentinel is supported (`redis-sentinels` + `redis-master`; it reads from a
 *   replica), Cluster is not.
 */
export interface DrachtioBlacklist {
  redisHost: string;
  redisPort: number;
  /** The SET key: SipKeys.blacklist(), `sb:sip:{auth}:blacklist` by default. */
  redisKey: string;
  /** Passed as `refresh-secs`; see above for why it has no effect after the first load. */
  refreshSecs?: number;
}

function xmlText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The SIP side of drachtio-server: addresses, ports, and TLS for WSS and SIP over TLS. */
export interface SipListen {
  /** The public address first; loopback after it so that tools on this machine reach it too. */
  addresses: string[];
  sipPort: number;
  /** Plain WebSocket for softphones, only without TLS. */
  wsPort: number | null;
  /** With TLS: secure WebSocket for softphones and SIP over TLS for desk phones, with the site's certificate. */
  tls: { certFile: string; keyFile: string; chainFile: string; wssPort: number; tlsPort: number } | null;
}

/**
 * drachtio-server's `--contact` values. A secure transport needs the `sips:`
 * scheme: `sip:…;transport=wss` fails at start with "Protocol not supported"
 * (checked with drachtio-server 0.9.5 and 0.9.10).
 */
export function drachtioContacts(listen: SipListen): string[] {
  return listen.addresses.flatMap((address) => {
    const host = hostPart(address);
    return [
      `sip:${host}:${listen.sipPort};transport=udp,tcp`,
      ...(listen.tls
        ? [`sips:${host}:${listen.tls.wssPort};transport=wss`, `sips:${host}:${listen.tls.tlsPort};transport=tls`]
        : listen.wsPort !== null ? [`sip:${host}:${listen.wsPort};transport=ws`] : []),
    ];
  });
}

/** The certificate flags; drachtio-server loads `--chain-file` as its CA list and refuses TLS without one. */
export function drachtioTlsArgs(listen: SipListen): string[] {
  return listen.tls ? ['--cert-file', listen.tls.certFile, '--key-file', listen.tls.keyFile, '--chain-file', listen.tls.chainFile] : [];
}

/** The config file drachtio-server insists on; every other setting comes from flags. */
export function drachtioConfigXml(blacklist?: DrachtioBlacklist): string {
  if (!blacklist) return '<drachtio><admin/></drachtio>\n';
  return [
    '<drachtio>',
    '  <admin/>',
    '  <sip>',
    '    <blacklist>',
    `      <redis-address>${xmlText(blacklist.redisHost)}</redis-address>`,
    `      <redis-port>${blacklist.redisPort}</redis-port>`,
    `      <redis-key>${xmlText(blacklist.redisKey)}</redis-key>`,
    ...(blacklist.refreshSecs ? [`      <refresh-secs>${blacklist.refreshSecs}</refresh-secs>`] : []),
    '    </blacklist>',
    '  </sip>',
    '</drachtio>',
    '',
  ].join('\n');
}

/** True when a drachtio-server binary can be run here (the E2E tier and `npm start` both ask). */
export function drachtioAvailable(binary = 'drachtio'): boolean {
  return findExecutable(binary) !== null;
}

/**
 * Starts a local drachtio-server: SIP on UDP/TCP, secure WebSocket (sip.js
 * softphones) and TLS (desk phones) — or plain WebSocket without TLS — and
 * the drachtio control port for this app on loopback. The server insists on a
 * config file even when every setting comes from flags, so a stub is written;
 * it carries the blacklist element when one is asked for.
 */
export async function startDrachtioServer(options: DrachtioProcessOptions): Promise<RunningService> {
  const binary = findExecutable(options.binary);
  if (!binary) {
    throw new ServiceStartError('drachtio-server is not installed (no `drachtio` on PATH): set DRACHTIO_HOST to a running server, or run the docker-compose stack');
  }
  mkdirSync(options.workDir, { recursive: true });
  const stubConfig = path.join(options.workDir, 'drachtio.conf.xml');
  writeFileSync(stubConfig, drachtioConfigXml(options.blacklist));
  const child = await startManagedProcess({
    name: 'drachtio',
    command: binary,
    args: [
      '-f', stubConfig,
      '--address', '127.0.0.1',
      '--port', String(options.adminPort),
      '--secret', options.secret,
      ...drachtioContacts(options.listen).flatMap((contact) => ['--contact', contact]),
      ...drachtioTlsArgs(options.listen),
      '--loglevel', 'warning',
      '--sofia-loglevel', '0',
      '--stdout',
    ],
    ready: () => tcpPortOpen('127.0.0.1', options.adminPort),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  return { name: 'drachtio', url: `tcp://127.0.0.1:${options.adminPort}`, stop: () => stopChild(child, 'SIGTERM') };
}
