/** Audio bytes a peer connection has received and sent so far (RTCStats inbound-rtp / outbound-rtp). */
export interface AudioBytes {
  inboundBytes: number;
  outboundBytes: number;
}

/** One entry of a getStats() report, as far as the byte counters go. */
export interface RtpStatsEntry {
  type: string;
  kind?: string;
  /** Older browsers name the kind so. */
  mediaType?: string;
  bytesReceived?: number;
  bytesSent?: number;
}

/** Sums the audio RTP byte counters of a getStats() report (one entry per stream, per direction). Pure. */
export function audioBytesOf(report: Iterable<RtpStatsEntry>): AudioBytes {
  let inboundBytes = 0;
  let outboundBytes = 0;
  for (const stat of report) {
    if ((stat.kind ?? stat.mediaType) !== 'audio') continue;
    if (stat.type === 'inbound-rtp') inboundBytes += stat.bytesReceived ?? 0;
    if (stat.type === 'outbound-rtp') outboundBytes += stat.bytesSent ?? 0;
  }
  return { inboundBytes, outboundBytes };
}
