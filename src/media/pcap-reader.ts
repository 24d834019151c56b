import { AppError } from '../errors/app-error';

/**
 * A libpcap capture file reader (the classic format, not pcapng), pure: bytes
 * in, UDP datagrams out. rtpengine's `--recording-method=pcap` writes one such
 * file per call: microsecond timestamps, link type RAW (LINKTYPE_RAW 101, one
 * IPv4 or IPv6 header and no link header), or Ethernet (1) with
 * `--recording-format=eth`. Each datagram is one packet rtpengine *received*,
 * after SRTP decryption, with a synthetic IP/UDP header: source = the sender,
 * destination = rtpengine's local socket.
 *
 * Reference: https://www.tcpdump.org/manpages/pcap-savefile.5.html and
 * https://www.tcpdump.org/linktypes.html
 */

/** An IP address and UDP port. */
export interface UdpEndpoint {
  address: string;
  port: number;
}

/** One UDP datagram from the capture. */
export interface PcapUdpPacket {
  /** Capture time, microseconds since the UNIX epoch (exact in a double until the year 2255). */
  timestampUs: number;
  source: UdpEndpoint;
  destination: UdpEndpoint;
  payload: Buffer;
}

/** What a capture holds. */
export interface PcapCapture {
  linkType: number;
  packets: PcapUdpPacket[];
  /** Records that were not IPv4/IPv6 UDP (or were IP fragments), skipped. */
  skipped: number;
  /** True when the file ends inside a record: rtpengine still writing, or stopped without flushing. */
  truncated: boolean;
}

/** Link-layer types this reader understands. */
export const PCAP_LINK_TYPES = {
  ETHERNET: 1,
  /** DLT_RAW as some BSDs write it. */
  RAW_BSD: 12,
  /** DLT_RAW as OpenBSD writes it. */
  RAW_OPENBSD: 14,
  RAW: 101,
  IPV4: 228,
  IPV6: 229,
} as const;

const GLOBAL_HEADER = 24;
const RECORD_HEADER = 16;
const MAGIC_MICROS = 0xa1b2c3d4;
const MAGIC_NANOS = 0xa1b23c4d;
const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const ETHERTYPE_VLAN = 0x8100;
const IPPROTO_UDP = 17;

function bad(message: string): AppError {
  return new AppError('BAD_AUDIO', `pcap: ${message}`);
}

function ipv4(bytes: Buffer, offset: number): string {
  return `${bytes[offset]}.${bytes[offset + 1]}.${bytes[offset + 2]}.${bytes[offset + 3]}`;
}

function ipv6(bytes: Buffer, offset: number): string {
  const groups: string[] = [];
  for (let i = 0; i < 8; i++) groups.push(bytes.readUInt16BE(offset + i * 2).toString(16));
  // Full form, no "::" compression: the address is only ever compared, never shown to people.
  return groups.join(':');
}

interface IpPayload {
  source: string;
  destination: string;
  protocol: number;
  body: Buffer;
}

/** Reads one IP packet; null when it is neither IPv4 nor IPv6, or is a fragment (rtpengine never writes them). */
function parseIp(bytes: Buffer): IpPayload | null {
  if (bytes.length < 1) return null;
  const version = (bytes[0] as number) >> 4;
  if (version === 4) {
    const headerLength = ((bytes[0] as number) & 0x0f) * 4;
    if (headerLength < 20 || bytes.length < headerLength) return null;
    const flagsAndOffset = bytes.readUInt16BE(6);
    if ((flagsAndOffset & 0x2000) !== 0 || (flagsAndOffset & 0x1fff) !== 0) return null;
    const total = Math.min(bytes.readUInt16BE(2) || bytes.length, bytes.length);
    return { source: ipv4(bytes, 12), destination: ipv4(bytes, 16), protocol: bytes[9] as number, body: bytes.subarray(headerLength, total) };
  }
  if (version === 6) {
    if (bytes.length < 40) return null;
    const total = Math.min(40 + bytes.readUInt16BE(4), bytes.length);
    // Extension headers are not followed: rtpengine's synthetic headers have none.
    return { source: ipv6(bytes, 8), destination: ipv6(bytes, 24), protocol: bytes[6] as number, body: bytes.subarray(40, total) };
  }
  return null;
}

/** Strips the link-layer header, leaving the IP packet; null for frames that carry something else. */
function linkPayload(linkType: number, frame: Buffer): Buffer | null {
  switch (linkType) {
    case PCAP_LINK_TYPES.RAW:
    case PCAP_LINK_TYPES.RAW_BSD:
    case PCAP_LINK_TYPES.RAW_OPENBSD:
    case PCAP_LINK_TYPES.IPV4:
    case PCAP_LINK_TYPES.IPV6:
      return frame;
    case PCAP_LINK_TYPES.ETHERNET: {
      let offset = 12;
      if (frame.length < offset + 2) return null;
      let etherType = frame.readUInt16BE(offset);
      if (etherType === ETHERTYPE_VLAN) {
        offset += 4;
        if (frame.length < offset + 2) return null;
        etherType = frame.readUInt16BE(offset);
      }
      return etherType === ETHERTYPE_IPV4 || etherType === ETHERTYPE_IPV6 ? frame.subarray(offset + 2) : null;
    }
    default:
      return null;
  }
}

/**
 * Parses a whole pcap file. Records that are not UDP over IP are counted in
 * `skipped`; a file cut off inside a record yields the complete records before
 * it and `truncated: true`, so that a recording interrupted by a crash still
 * gives what was written.
 *
 * @throws AppError `BAD_AUDIO` when the global header is missing or wrong, or the link type is unsupported.
 */
export function parsePcap(bytes: Buffer): PcapCapture {
  if (bytes.length < GLOBAL_HEADER) throw bad(`file too short for the global header (${bytes.length} bytes)`);
  let littleEndian: boolean;
  let nanos: boolean;
  const magicLE = bytes.readUInt32LE(0);
  const magicBE = bytes.readUInt32BE(0);
  if (magicLE === MAGIC_MICROS || magicLE === MAGIC_NANOS) {
    littleEndian = true;
    nanos = magicLE === MAGIC_NANOS;
  } else if (magicBE === MAGIC_MICROS || magicBE === MAGIC_NANOS) {
    littleEndian = false;
    nanos = magicBE === MAGIC_NANOS;
  } else {
    throw bad(`not a pcap file (magic 0x${magicBE.toString(16).padStart(8, '0')}); pcapng is not supported`);
  }
  const u32 = (offset: number): number => (littleEndian ? bytes.readUInt32LE(offset) : bytes.readUInt32BE(offset));
  // The low 16 bits are the link type; the upper bits may carry FCS information (pcap-savefile(5)).
  const linkType = u32(20) & 0xffff;
  if (!(Object.values(PCAP_LINK_TYPES) as number[]).includes(linkType)) throw bad(`unsupported link type ${linkType}`);

  const packets: PcapUdpPacket[] = [];
  let skipped = 0;
  let truncated = false;
  let offset = GLOBAL_HEADER;
  while (offset < bytes.length) {
    if (offset + RECORD_HEADER > bytes.length) {
      truncated = true;
      break;
    }
    const seconds = u32(offset);
    const fraction = u32(offset + 4);
    const captured = u32(offset + 8);
    const start = offset + RECORD_HEADER;
    if (start + captured > bytes.length) {
      truncated = true;
      break;
    }
    offset = start + captured;
    const ip = parseIp(linkPayload(linkType, bytes.subarray(start, start + captured)) ?? Buffer.alloc(0));
    if (!ip || ip.protocol !== IPPROTO_UDP || ip.body.length < 8) {
      skipped++;
      continue;
    }
    const udpLength = ip.body.readUInt16BE(4);
    // A zero or oversized UDP length is taken as "to the end of the capture", the way rtpengine's writes always are.
    const payloadEnd = udpLength >= 8 && udpLength <= ip.body.length ? udpLength : ip.body.length;
    packets.push({
      timestampUs: seconds * 1_000_000 + (nanos ? Math.floor(fraction / 1000) : fraction),
      source: { address: ip.source, port: ip.body.readUInt16BE(0) },
      destination: { address: ip.destination, port: ip.body.readUInt16BE(2) },
      payload: ip.body.subarray(8, payloadEnd),
    });
  }
  return { linkType, packets, skipped, truncated };
}
