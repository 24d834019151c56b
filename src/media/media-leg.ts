import type { NgParams } from './rtpengine-ng-client';
import { stripSsrcAndMsid } from './sdp-text';

/**
 * The two kinds of call leg rtpengine bridges, and the ng flags that make the
 * SDP it writes *toward* a leg right for that kind (design §7). In an
 * `offer` the flags shape the SDP that goes to the offer's recipient; in an
 * `answer`, the SDP that goes back to the offerer.
 */

/**
 * `sip`: a SIP trunk, phone or desk phone — plain RTP/AVP, no ICE, no DTLS.
 * `webrtc`: a browser softphone — DTLS-SRTP with ICE and rtcp-mux (RFC 8827, RFC 8834).
 */
export type LegKind = 'sip' | 'webrtc';

/** Which party of the call a leg is. */
export type LegRole = 'caller' | 'agent';

/**
 * ng `offer`/`answer` keys for SDP written toward a leg of `kind`. Mixing them
 * up gives "no crypto suite negotiated" and one-way audio (design §7).
 */
export function flagsToward(kind: LegKind): NgParams {
  if (kind === 'webrtc') {
    return {
      'transport-protocol': 'UDP/TLS/RTP/SAVPF',
      ICE: 'force',
      // DTLS-SRTP only: browsers refuse SDES (RFC 8827 §6.5).
      SDES: ['off'],
      'rtcp-mux': ['require'],
      flags: ['generate mid'],
    };
  }
  return { 'transport-protocol': 'RTP/AVP', DTLS: 'off', ICE: 'remove' };
}

/**
 * ng `offer` keys for an offer from a leg of `from` to a leg of `to`. A browser
 * re-offering toward a SIP phone (hold, a consult re-pairing) offers
 * rtcp-mux, which the phone's answer drops: without `accept` rtpengine then
 * answers the browser without rtcp-mux, on a new RTP/RTCP port pair with new
 * ICE credentials, and Chrome refuses the answer ("RTCP-MUX is not enabled
 * when it is required") and ends the call. `demux` keeps RTCP on its own
 * port toward the phone.
 */
export function offerFlags(from: LegKind, to: LegKind): NgParams {
  const toward = flagsToward(to);
  return from === 'webrtc' && to === 'sip' ? { ...toward, 'rtcp-mux': ['demux', 'accept'] } : toward;
}

/** The SDP a leg of `kind` is finally given: browser-only attributes removed toward SIP peers. */
export function sdpToward(kind: LegKind, sdp: string): string {
  return kind === 'sip' ? stripSsrcAndMsid(sdp) : sdp;
}
