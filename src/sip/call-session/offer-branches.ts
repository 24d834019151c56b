import type Srf from 'drachtio-srf';
import type { RingBranch } from '../parallel-ring';
import type { SrfApp, SrfResponse } from '../srf-types';

/**
 * One ring branch per target URI, each an INVITE with the same offer (for
 * ringFirst: the first to answer wins, the others are cancelled or hung up).
 * `onRinging` runs once, on the first 180/183 of any branch.
 */
export function offerBranches(
  srf: SrfApp,
  targets: readonly string[],
  invite: { localSdp: string; headers: Record<string, string> },
  on: { onRinging: () => void; hangUp: (dialog: Srf.Dialog) => void },
): Array<RingBranch<Srf.Dialog>> {
  let rang = false;
  const onProvisional = (res: SrfResponse): void => {
    if (rang || res.status < 180) return;
    rang = true;
    on.onRinging();
  };
  return targets.map((uri) => ({
    invite: (sent) => srf.createUAC(uri, invite, { cbRequest: (_err, req) => req && sent(req), cbProvisional: onProvisional }),
    discard: (dialog) => on.hangUp(dialog),
  }));
}
