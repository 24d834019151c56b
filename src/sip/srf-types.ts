import Srf from 'drachtio-srf';

export type SrfRequest = Srf.SrfRequest;
export type SrfResponse = Srf.SrfResponse;
type Handler = (req: SrfRequest, res: SrfResponse) => void;

/**
 * The one place where drachtio-srf's bundled types are completed (design §7):
 * the per-method registration verbs exist at run time (lib/srf.js) but are
 * not declared. Everything in src/sip uses this type instead of `Srf`.
 */
export interface SrfApp extends Omit<Srf, 'connect' | 'createUAC'> {
  /**
   * lib/srf.js calls `cbRequest(err, req)` (the bundled types say `(req)`):
   * the sent INVITE, kept to CANCEL it (RFC 3261 §9) when the caller leaves
   * or the ring timeout passes.
   */
  createUAC(
    uri: string,
    opts: Srf.CreateUACOptions,
    progressCallbacks?: { cbRequest?: (err: Error | null, req: SrfRequest) => void; cbProvisional?: (res: SrfResponse) => void },
  ): Promise<Srf.Dialog>;
  /** Returns the Srf, not a promise as the bundled types claim; failures arrive as 'error' events. */
  connect(config: Srf.SrfConfig): Srf;
  options(handler: Handler): void;
  register(handler: Handler): void;
  info(handler: Handler): void;
  message(handler: Handler): void;
  subscribe(handler: Handler): void;
  publish(handler: Handler): void;
  notify(handler: Handler): void;
}

export function createSrf(): SrfApp {
  return new Srf() as unknown as SrfApp;
}

/**
 * The part of an incoming drachtio-srf request that request handlers read,
 * with the types the library really has at run time: `get()` returns
 * undefined for a missing header (the bundled types say string), and
 * `source_port` is a number (lib/request.js parses it). `protocol` is the
 * transport drachtio-server received it on: udp, tcp, tls, ws or wss.
 * SrfRequest satisfies it; tests pass plain objects.
 */
export interface InboundRequest {
  readonly method: string;
  readonly uri: string;
  readonly source_address: string;
  readonly source_port: number | string;
  readonly protocol: string;
  get(name: string): string | undefined;
}

/** The part of a drachtio-srf response that request handlers use. SrfResponse satisfies it. */
export interface OutboundResponse {
  readonly finalResponseSent: boolean;
  send(status: number, reason: string, opts: { headers: Record<string, string> }): void;
}

/**
 * What `createUAC` resolves with for an INVITE sent without SDP and
 * `noAck: true` (lib/srf.js, "3pcc"): the callee's 200 OK carries the offer,
 * and our answer goes in the ACK (RFC 3261 §13.2.1, RFC 3264 §4). The bundled
 * types only know the Dialog form.
 */
export interface LateOfferAnswer {
  /** The callee's offer, from its 200 OK. */
  sdp: string;
  /** Sends the ACK with our answer and gives the dialog. */
  ack(localSdp: string): Promise<Srf.Dialog>;
  /** ACKs and BYEs a 200 OK we do not want (another branch won). */
  destroy(): Promise<void>;
}

/** True when a late-offer createUAC really gave the ACK-pending form (a 200 OK without SDP gives a plain Dialog). */
export function isLateOfferAnswer(value: unknown): value is LateOfferAnswer {
  const v = value as Partial<LateOfferAnswer> | null;
  return typeof v === 'object' && v !== null && typeof v.sdp === 'string' && typeof v.ack === 'function' && typeof v.destroy === 'function';
}

/**
 * drachtio-server's id of a dialog (drachtio-srf's `Dialog#id`, lib/dialog.js,
 * which the bundled types leave out): what an in-dialog request from another
 * process names it by (orphan-legs.ts). Null for none.
 */
export function dialogIdOf(dialog: Srf.Dialog | null | undefined): string | null {
  const id = (dialog as unknown as { id?: unknown } | null | undefined)?.id;
  return typeof id === 'string' && id !== '' ? id : null;
}

/**
 * The id drachtio-server will give the dialog it creates when it answers an
 * INVITE: the Call-ID, `;from-tag=` and the caller's From tag
 * (SipDialog::getDialogId in drachtio-server's src/sip-dialog.hpp: for a dialog
 * where it is the UAS, the remote endpoint's tag). Known before the 200 OK is
 * sent, so a call's checkpoint can name the caller's leg from its first save:
 * a process killed between answering and saving again no longer leaves the
 * caller in silence (a survivor's BYE on a dialog that was never made only fails).
 */
export function uasDialogIdOf(callId: string, fromTag: string): string {
  return `${callId};from-tag=${fromTag}`;
}
