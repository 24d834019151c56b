import { isLoopback, type MachineAddresses } from './machine-addresses';

/**
 * Where Switchboard listens and which address it tells others (issue 15):
 * a development start, whose demo accounts have passwords printed in the
 * README, stays on this machine unless told otherwise; production, or a
 * development start given an address, serves the network.
 */

/** What the configuration says about listening. */
export interface ListenSettings {
  mode: string;
  /** http.host (HOST); null: chosen by mode. */
  httpHost: string | null;
  /** network.publicAddress (PUBLIC_ADDRESS): an address, `auto` for the machine's primary one, or null (chosen by mode). */
  publicAddress: string | null;
}

export interface ListenPlan {
  /** The address the HTTP server binds. */
  httpHost: string;
  /** The address phones, trunks and PCs are told (SIP contacts, SDP, printed URLs); drachtio-server and rtpengine listen on it. */
  publicAddress: string;
  /** Why only this machine can reach the site, with what opens it; null when the network can. */
  loopbackOnly: string | null;
}

const OPEN_IT = 'PUBLIC_ADDRESS=auto (or the address phones and PCs use) opens it to the office';

/** The pure rule: settings and the machine's addresses in, where to listen out. */
export function listenPlan(settings: ListenSettings, machine: MachineAddresses): ListenPlan {
  const toldOtherwise = settings.mode === 'production' || settings.publicAddress !== null || (settings.httpHost !== null && !isLoopback(settings.httpHost));
  if (!toldOtherwise) {
    return {
      httpHost: settings.httpHost ?? '127.0.0.1',
      publicAddress: '127.0.0.1',
      loopbackOnly: `only this machine can reach Switchboard: a development start listens on 127.0.0.1, as its demo accounts' passwords are public; ${OPEN_IT}`,
    };
  }
  const configured = settings.publicAddress === 'auto' ? null : settings.publicAddress;
  const publicAddress = configured ?? machine.primary ?? '127.0.0.1';
  return {
    httpHost: settings.httpHost ?? '0.0.0.0',
    publicAddress,
    loopbackOnly: isLoopback(publicAddress)
      ? `only this machine can reach Switchboard: its public address is ${publicAddress} (${configured ? 'as configured' : 'no other network address was found'}); set PUBLIC_ADDRESS to the address phones and PCs use`
      : null,
  };
}
