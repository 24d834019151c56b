import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, openPage, signIn, type WatchedPage } from '../helpers/browser';
import { releaseInOrder } from '../helpers/release';
import type { SystemHarness } from '../helpers/system-harness';
import type { SessionCallerStep } from './call-session-kit';

/**
 * Shared pieces of the softphone end-to-end tests: the browser set up for
 * WebRTC against the local rtpengine, the page's debug handle, the browser's
 * own RTP counters, and a caller who talks.
 */

/** The page's debug handle (src/web/softphone/use-phone.ts), present with localStorage switchboard.debug = 1. */
export interface SoftphoneDebugHandle {
  peerConnection(): RTCPeerConnection | null;
  snapshot(): { call: string; current: { callId: string | null; direction: string } | null };
  dropSip(): void;
  /** The phone's side calls of call monitoring (talk, coach): src/web/softphone/side-calls.ts. */
  sideCalls(): Array<{ kind: 'talk' | 'coach'; sessionId: string; label: string; connected: boolean }>;
  /** Audio bytes of the newest side call of `kind` (getStats), null when there is none. */
  sideCallStats(kind: 'talk' | 'coach'): Promise<{ inboundBytes: number; outboundBytes: number } | null>;
}

declare global {
  interface Window {
    /** The page's debug handle, present with localStorage switchboard.debug = 1. */
    __softphone?: SoftphoneDebugHandle;
    /** Every SDP the page set or had refused (prepareSoftphoneContext). */
    __sdpLog?: string[];
  }
}


/**
 * Headless Chromium for the softphone. Browser and rtpengine share this
 * machine: Chromium must offer its loopback address as an ICE candidate, as
 * rtpengine listens on 127.0.0.1 (without it Chromium offers only the LAN
 * address and DTLS never completes).
 */
export function launchSoftphoneBrowser(extraArgs: string[] = []): Promise<Browser> {
  return launchChromium(['--allow-loopback-in-peer-connection', ...extraArgs]);
}

/** What a softphone test file's beforeAll makes; undefined where it failed before making it. */
export interface SoftphoneFileParts {
  h: SystemHarness | undefined;
  browser: Browser | undefined;
  watched: WatchedPage | undefined;
}

/**
 * The after-hooks every softphone test file has: after each test no call and
 * no rtpengine session is left (every resource released, design §8) and the
 * page logged no error; after the file the page, the browser and the system
 * close, each even when one before it failed, so a stuck page never leaves the
 * system running. `parts` reads the file's own variables (its beforeAll sets
 * them); `releaseFirst` (an rtpengine probe) go before the page.
 */
export function afterSoftphoneTests(parts: () => SoftphoneFileParts, ...releaseFirst: Array<() => unknown>): void {
  afterAll(() => {
    const { h, browser, watched } = parts();
    return releaseInOrder([...releaseFirst, () => watched?.close(), () => browser?.close(), () => h?.close()]);
  });
  afterEach(() => parts().h!.expectNothingLeft(), 30_000);
  afterEach(() => {
    expect(parts().watched!.errors).toEqual([]);
  });
}

/**
 * Init scripts every softphone page of a test gets: the debug handle (peer
 * connection for getStats, a way to cut the SIP socket), and a log of every
 * SDP the browser sets and every one it refuses, to read when a re-INVITE fails.
 */
export async function prepareSoftphoneContext(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => localStorage.setItem('switchboard.debug', '1'));
  await context.addInitScript(() => {
    const w = window as unknown as { __sdpLog: string[] };
    w.__sdpLog = [];
    const keep = (line: string): void => {
      w.__sdpLog.push(line);
      if (w.__sdpLog.length > 40) w.__sdpLog.shift();
    };
    type SetDescription = (this: RTCPeerConnection, description?: RTCSessionDescriptionInit) => Promise<void>;
    const proto = RTCPeerConnection.prototype as unknown as Record<'setRemoteDescription' | 'setLocalDescription', SetDescription>;
    for (const [name, side] of [['setRemoteDescription', 'remote'], ['setLocalDescription', 'local']] as const) {
      const original = proto[name];
      proto[name] = function (this: RTCPeerConnection, description?: RTCSessionDescriptionInit) {
        keep(`${side} ${description?.type ?? '?'}\n${description?.sdp ?? ''}`);
        return original.call(this, description).catch((err: Error) => {
          keep(`${side} REFUSED: ${err.message}`);
          throw err;
        });
      };
    }
  });
}

/** The SDPs the page set (offers and answers, local and remote) and the ones Chrome refused, oldest first. */
export function sdpLog(page: Page): Promise<string[]> {
  return page.evaluate(() => window.__sdpLog ?? []);
}

/** The phone's call state and the server's call id of the call on it (null when idle). */
export function phoneCall(page: Page): Promise<{ state: string; callId: string | null; direction: string | null }> {
  return page.evaluate(() => {
    const snapshot = window.__softphone?.snapshot();
    return { state: snapshot?.call ?? 'none', callId: snapshot?.current?.callId ?? null, direction: snapshot?.current?.direction ?? null };
  });
}

export interface RtpFigures {
  received: number;
  sent: number;
}

/** Packets on the live call's peer connection (inbound-rtp received, outbound-rtp sent), read in the page; -1 without a call. */
export function rtpFigures(page: Page): Promise<RtpFigures> {
  return page.evaluate(async () => {
    const pc = window.__softphone?.peerConnection();
    if (!pc) return { received: -1, sent: -1 };
    let received = 0;
    let sent = 0;
    (await pc.getStats()).forEach((report: { type: string; kind?: string; packetsReceived?: number; packetsSent?: number }) => {
      if (report.type === 'inbound-rtp' && report.kind === 'audio') received += report.packetsReceived ?? 0;
      if (report.type === 'outbound-rtp' && report.kind === 'audio') sent += report.packetsSent ?? 0;
    });
    return { received, sent };
  });
}

const AUDIO_PCAP = '/usr/share/sip-tester/g711a.pcap';
/** Ethernet (14) + IPv4 without options (20) + UDP (8): where the RTP header starts in each record of AUDIO_PCAP. */
const RTP_OFFSET = 42;
let pcapDir: string | null = null;
const pcapBlocks: string[] = [];

/**
 * `blocks` pcaps of sipp's 7 s PCMA sample that play as ONE stream: same
 * SSRC, each block's sequence numbers and timestamps continuing the last.
 * Replaying the sample itself repeats its sequence numbers, and a browser's
 * SRTP replay protection (RFC 3711 §3.3.2) drops every repeat: only the first
 * block would reach the page.
 */
export function continuousAudioPcaps(blocks: number): string[] {
  if (pcapBlocks.length >= blocks) return pcapBlocks.slice(0, blocks);
  const source = readFileSync(AUDIO_PCAP);
  const records: Array<{ start: number; length: number }> = [];
  for (let offset = 24; offset + 16 <= source.length;) {
    const length = source.readUInt32LE(offset + 8);
    records.push({ start: offset + 16, length });
    offset += 16 + length;
  }
  const rtp = (record: { start: number }, at: number): number => record.start + RTP_OFFSET + at;
  const first = records[0]!;
  const last = records[records.length - 1]!;
  const tsStep = source.readUInt32BE(rtp(records[1]!, 4)) - source.readUInt32BE(rtp(first, 4));
  const tsSpan = source.readUInt32BE(rtp(last, 4)) - source.readUInt32BE(rtp(first, 4)) + tsStep;
  pcapDir ??= mkdtempSync(path.join(os.tmpdir(), 'switchboard-audio-'));
  for (let block = pcapBlocks.length; block < blocks; block++) {
    const copy = Buffer.from(source);
    for (const record of records) {
      copy.writeUInt16BE((source.readUInt16BE(rtp(record, 2)) + block * records.length) & 0xffff, rtp(record, 2));
      copy.writeUInt32BE((source.readUInt32BE(rtp(record, 4)) + block * tsSpan) >>> 0, rtp(record, 4));
    }
    const file = path.join(pcapDir, `audio-${block}.pcap`);
    writeFileSync(file, copy);
    pcapBlocks.push(file);
  }
  return pcapBlocks.slice(0, blocks);
}

/**
 * A caller who presses 1 (order), waits for an operator and talks with sound
 * (7 s of audio per block, one continuous stream), then hangs up.
 */
export function talkingCaller(talkBlocks: number): SessionCallerStep[] {
  const steps: SessionCallerStep[] = [{ pauseMs: 2500 }, { key: '1' }, { pauseMs: 1000 }];
  for (const audioFile of continuousAudioPcaps(talkBlocks)) steps.push({ audioFile }, { pauseMs: 7000 });
  steps.push({ hangUp: true });
  return steps;
}

/**
 * The agent Ready with no call and no wrap-up form left from an earlier test,
 * as the page shows it.
 */
export async function agentReady(h: SystemHarness, page: Page, staffId: number, token: string): Promise<void> {
  const state = (await h.api('GET', `/api/agents/${staffId}`, token)).body.state as string;
  if (state === 'wrap_up') await h.api('POST', `/api/agents/${staffId}/wrap-up/end`, token);
  else if (state !== 'ready') await h.api('POST', `/api/agents/${staffId}/state`, token, { state: 'ready' });
  await page.getByTestId('agent-state').getByText('Ready').waitFor();
  await page.getByTestId('call-status').getByText('No call').waitFor({ timeout: 20_000 });
}

/** Saves the wrap-up form of the call just ended with `disposition`, as the agent would (its first Save button), and waits for the page to confirm it. */
export async function saveWrapUp(page: Page, disposition: string): Promise<void> {
  const form = page.getByTestId('wrap-up-form');
  await form.waitFor({ timeout: 15_000 });
  await form.getByLabel('Disposition').selectOption(disposition);
  await form.getByRole('button', { name: /^Save/ }).first().click();
  await form.getByText('Saved to the call record.').waitFor();
}

/** Chromium with the softphone open and registered for `username` (the debug handle and the SDP log on). */
export async function openSignedInSoftphone(
  h: SystemHarness, username: string, password: string,
  /** A WAV the browser's fake microphone plays (looped) instead of Chromium's beep: each person of a test their own tone. */
  options: { microphoneWav?: string } = {},
): Promise<{ browser: Browser; watched: WatchedPage; page: Page }> {
  const browser = await launchSoftphoneBrowser(options.microphoneWav ? [`--use-file-for-fake-audio-capture=${options.microphoneWav}`] : []);
  const watched = await openPage(browser);
  await prepareSoftphoneContext(watched.context);
  await signIn(watched.page, h.baseUrl, 'softphone', username, password);
  await watched.page.getByTestId('phone-status').getByText('Phone: registered').waitFor({ timeout: 20_000 });
  return { browser, watched, page: watched.page };
}

/** `others` go Not ready (break): only the test's own agents take the queue's calls. */
export async function takeOffTheQueue(h: SystemHarness, staffIds: Readonly<Record<string, number>>, others: readonly string[], password: string): Promise<void> {
  for (const other of others) {
    const token = await h.login(other, password);
    await h.api('POST', `/api/agents/${staffIds[other]}/state`, token, { state: 'not_ready', reason: 'break' });
  }
}
