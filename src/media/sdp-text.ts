/**
 * The few SDP (RFC 8866) edits and reads the media layer needs, on the text,
 * pure. rtpengine rewrites everything that matters for transport; these
 * cover what it leaves alone.
 */

/** An SDP media direction attribute (RFC 3264 §5.1). */
export type MediaDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

const DIRECTIONS: ReadonlySet<string> = new Set<MediaDirection>(['sendrecv', 'sendonly', 'recvonly', 'inactive']);

function lines(sdp: string): string[] {
  return sdp.split(/\r?\n/).filter((line) => line !== '');
}

function join(sdpLines: readonly string[]): string {
  return `${sdpLines.join('\r\n')}\r\n`;
}

/**
 * Removes `a=ssrc`, `a=ssrc-group`, `a=msid` and `a=msid-semantic` lines.
 * rtpengine passes them through from a WebRTC leg; SIP phones and trunks do
 * not expect them and some pick the wrong SSRC from them (design §7).
 */
export function stripSsrcAndMsid(sdp: string): string {
  return join(lines(sdp).filter((line) => !/^a=(ssrc|ssrc-group|msid|msid-semantic):/i.test(line) && !/^a=msid-semantic\b/i.test(line)));
}

/** The address and port of the first audio stream: where that party wants to receive audio. */
export function audioEndpoint(sdp: string): { address: string; port: number } | null {
  let sessionAddress: string | null = null;
  let inAudio = false;
  let seenAudio = false;
  let port: number | null = null;
  let mediaAddress: string | null = null;
  for (const line of lines(sdp)) {
    if (line.startsWith('m=')) {
      if (seenAudio) break;
      const match = /^m=audio (\d+)/.exec(line);
      inAudio = match !== null;
      if (match) {
        seenAudio = true;
        port = Number(match[1]);
      }
      continue;
    }
    const c = /^c=IN IP[46] ([^\s/]+)/.exec(line);
    if (c) {
      if (inAudio) mediaAddress = c[1] ?? null;
      else if (!seenAudio) sessionAddress = c[1] ?? null;
    }
  }
  const address = mediaAddress ?? sessionAddress;
  return port === null || address === null ? null : { address, port };
}

/**
 * The RTCP port of the first audio stream: `a=rtcp` when given (RFC 3605),
 * else the RTP port under rtcp-mux, else RTP + 1 (RFC 3550 §11).
 */
export function audioRtcpPort(sdp: string): number | null {
  const endpoint = audioEndpoint(sdp);
  if (!endpoint) return null;
  const section = audioSection(sdp);
  const rtcp = section.map((line) => /^a=rtcp:(\d+)/.exec(line)).find((m) => m !== null);
  if (rtcp) return Number(rtcp[1]);
  if (section.some((line) => /^a=rtcp-mux\b/.test(line))) return endpoint.port;
  return endpoint.port + 1;
}

/** RTP encoding names of the static payload types a SIP leg may carry (RFC 3551 §6). */
const STATIC_PAYLOAD_NAMES: ReadonlyMap<string, string> = new Map([['0', 'PCMU'], ['3', 'GSM'], ['8', 'PCMA'], ['9', 'G722'], ['18', 'G729']]);

/**
 * The encoding name (upper case, e.g. PCMA) of the first format of the first
 * audio stream: in an answer, the codec the party will be sent (RFC 3264 §6.1).
 * Null without an audio stream or when the format is named nowhere.
 */
export function audioCodec(sdp: string): string | null {
  const [mLine, ...attributes] = audioSection(sdp);
  const first = mLine?.split(' ')[3];
  if (first === undefined) return null;
  const rtpmap = attributes.find((line) => line.startsWith(`a=rtpmap:${first} `));
  const name = rtpmap?.slice(`a=rtpmap:${first} `.length).split('/')[0]?.trim();
  return name ? name.toUpperCase() : (STATIC_PAYLOAD_NAMES.get(first) ?? null);
}

function audioSection(sdp: string): string[] {
  const all = lines(sdp);
  const start = all.findIndex((line) => line.startsWith('m=audio '));
  if (start < 0) return [];
  const end = all.findIndex((line, i) => i > start && line.startsWith('m='));
  return all.slice(start, end < 0 ? all.length : end);
}

/** The direction of the first audio stream (media level, else session level, else sendrecv — RFC 3264 §5.1). */
export function audioDirection(sdp: string): MediaDirection {
  const all = lines(sdp);
  const mediaStart = all.findIndex((line) => line.startsWith('m='));
  const session = mediaStart < 0 ? all : all.slice(0, mediaStart);
  const find = (section: readonly string[]): MediaDirection | null => {
    for (const line of section) {
      const name = line.slice(2);
      if (line.startsWith('a=') && DIRECTIONS.has(name)) return name as MediaDirection;
    }
    return null;
  };
  return find(audioSection(sdp)) ?? find(session) ?? 'sendrecv';
}

/** The direction an answerer puts against an offered one (RFC 3264 §6.1). */
export function answerDirection(offered: MediaDirection): MediaDirection {
  switch (offered) {
    case 'sendonly':
      return 'recvonly';
    case 'recvonly':
      return 'sendonly';
    default:
      return offered;
  }
}

/**
 * The answer of the placeholder leg (`ivr`) to an offer rtpengine produced: it
 * accepts every audio stream with all offered formats and the matching
 * direction, and rejects other streams with port 0, as RFC 3264 §6 requires
 * (same number of m= lines, in order). Nothing listens at its address: it
 * exists so that rtpengine has an answered call whose caller leg can be
 * played to (design §7), and the discard port 9 makes any packet sent
 * there harmless.
 */
export function placeholderAnswer(offer: string, sessionId: number): string {
  const out = ['v=0', `o=- ${sessionId} ${sessionId} IN IP4 127.0.0.1`, 's=-', 'c=IN IP4 127.0.0.1', 't=0 0'];
  const all = lines(offer);
  const sessionEnd = all.findIndex((line) => line.startsWith('m='));
  if (sessionEnd < 0) return join(out);
  let index = sessionEnd;
  while (index < all.length) {
    const end = all.findIndex((line, i) => i > index && line.startsWith('m='));
    const section = all.slice(index, end < 0 ? all.length : end);
    index = end < 0 ? all.length : end;
    const [mLine = '', ...attributes] = section;
    const parts = mLine.slice(2).split(' ');
    const [media = '', , proto = 'RTP/AVP', ...formats] = parts;
    if (media !== 'audio') {
      out.push(`m=${media} 0 ${proto} ${formats.join(' ')}`);
      continue;
    }
    const direction = answerDirection(audioDirection(join([mLine, ...attributes])));
    out.push(`m=audio 9 ${proto} ${formats.join(' ')}`);
    for (const attribute of attributes) if (/^a=(rtpmap|fmtp|ptime):/.test(attribute)) out.push(attribute);
    out.push(`a=${direction}`);
  }
  return join(out);
}

/**
 * The placeholder leg's own offer, for a caller whose INVITE carried none (a
 * delayed offer, RFC 3261 §13.2.1): rtpengine rewrites it into the offer of
 * our 200 OK. G.711 both laws and RFC 4733 events, what every trunk and the
 * prompts (8 kHz, design §7) have in common; the discard port 9 as in
 * placeholderAnswer.
 */
export function placeholderOffer(sessionId: number): string {
  return join([
    'v=0', `o=- ${sessionId} ${sessionId} IN IP4 127.0.0.1`, 's=-', 'c=IN IP4 127.0.0.1', 't=0 0',
    'm=audio 9 RTP/AVP 8 0 101', 'a=rtpmap:8 PCMA/8000', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-15',
    'a=ptime:20', 'a=sendrecv',
  ]);
}

/**
 * The SDP with every direction attribute set to `direction` (and one added to
 * each audio section that had none). A party's last SDP is reused as an
 * offer when the call's media is re-paired (warm transfer), and an SDP
 * answered `recvonly` during a hold would otherwise carry the hold along.
 */
export function withDirection(sdp: string, direction: MediaDirection): string {
  const out: string[] = [];
  let inAudio = false;
  let audioHasDirection = false;
  const closeAudio = (): void => {
    if (inAudio && !audioHasDirection) out.push(`a=${direction}`);
  };
  for (const line of lines(sdp)) {
    if (line.startsWith('m=')) {
      closeAudio();
      inAudio = line.startsWith('m=audio ');
      audioHasDirection = false;
      out.push(line);
      continue;
    }
    if (line.startsWith('a=') && DIRECTIONS.has(line.slice(2))) {
      if (inAudio) audioHasDirection = true;
      out.push(`a=${direction}`);
      continue;
    }
    out.push(line);
  }
  closeAudio();
  return join(out);
}
