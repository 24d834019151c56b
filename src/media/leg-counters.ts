import type { NgReply } from './rtpengine-ng-client';

/**
 * Per-leg packet counters from an rtpengine `query` reply, pure.
 *
 * rtpengine (10.5) counts, per packet stream, what it *received* on that
 * stream's socket — there is no "sent" counter (the source says "XXX
 * distinguish between input and output"). So a leg's counters are what that
 * leg sent to rtpengine; what it was sent shows on the other leg.
 *
 * Streams are attributed to a leg in two ways, because the monologue a
 * stream hangs under is not always the leg's own: after the bridging offer
 * of design §7 the agent is told the placeholder (`ivr`) monologue's port,
 * and its packets count under `ivr` until a re-INVITE gives it its own.
 * A stream belongs to a leg when it is under the leg's tag, or when its local
 * port is one rtpengine advertised to that leg.
 */

/** Packets, bytes and errors of one direction of traffic. */
export interface PacketCounts {
  packets: number;
  bytes: number;
  errors: number;
}

/** What rtpengine received from one leg. */
export interface LegCounters {
  rtp: PacketCounts;
  rtcp: PacketCounts;
  /** UNIX seconds of the last packet received from the leg, or null if none yet. */
  lastPacketAt: number | null;
}

/** Which streams make up one leg. */
export interface LegSelector {
  tag: string;
  /** rtpengine ports handed to the leg in SDP. */
  ports: ReadonlySet<number>;
}

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function count(value: unknown): number {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : 0;
}

function zero(): PacketCounts {
  return { packets: 0, bytes: 0, errors: 0 };
}

/** Counters of the leg `selector` names in a `query` reply; all zero when nothing matches. */
export function legCounters(reply: NgReply, selector: LegSelector): LegCounters {
  const result: LegCounters = { rtp: zero(), rtcp: zero(), lastPacketAt: null };
  const tags = record(reply.tags) ?? {};
  for (const [tag, monologueValue] of Object.entries(tags)) {
    const monologue = record(monologueValue);
    if (!monologue) continue;
    for (const mediaValue of list(monologue.medias)) {
      for (const streamValue of list(record(mediaValue)?.streams)) {
        const stream = record(streamValue);
        if (!stream) continue;
        const localPort = count(stream['local port']);
        if (tag !== selector.tag && !selector.ports.has(localPort)) continue;
        const stats = record(stream.stats) ?? {};
        const flags = list(stream.flags);
        // An rtcp-mux stream (a browser's) is flagged both RTP and RTCP; its count is mostly audio.
        const target = flags.includes('RTCP') && !flags.includes('RTP') ? result.rtcp : result.rtp;
        target.packets += count(stats.packets);
        target.bytes += count(stats.bytes);
        target.errors += count(stats.errors);
        const last = count(stream['last packet']);
        if (count(stats.packets) > 0 && last > 0) result.lastPacketAt = Math.max(result.lastPacketAt ?? 0, last);
      }
    }
  }
  return result;
}

/**
 * The local ports of every stream rtpengine lists under `tag` in a `query`
 * reply: the sockets it receives that leg's packets on, and sends to the leg
 * from. They need not be in any SDP: after the bridging answer of design §7
 * rtpengine 10.5 gives the agent's monologue its own sockets while the agent
 * was told the placeholder's port, so an agent doing symmetric RTP (RFC 4961:
 * it sends to where packets come from — NAT'd phones, latching SBCs,
 * `sipp -rtp_echo`) sends to a port no SDP named.
 */
export function streamPortsOf(reply: NgReply, tag: string): Set<number> {
  const ports = new Set<number>();
  const monologue = record(record(reply.tags)?.[tag]);
  for (const mediaValue of list(monologue?.medias)) {
    for (const streamValue of list(record(mediaValue)?.streams)) {
      const port = count(record(streamValue)?.['local port']);
      if (Number.isInteger(port) && port > 0) ports.add(port);
    }
  }
  return ports;
}
