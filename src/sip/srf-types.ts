import Srf from 'drachtio-srf';

export type SrfRequest = Srf.SrfRequest;
export type SrfResponse = Srf.SrfResponse;
type Handler = (req: SrfRequest, res: SrfResponse) => void;

/**
 * The one place where drachtio-srf's bundled types are completed (design §7):
 * the per-method registration verbs exist at run time (lib/srf.js) but are
 * not declared. Everything in src/sip uses this type instead of `Srf`.
 */
export interface SrfApp extends Omit<Srf, 'connect'> {
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
