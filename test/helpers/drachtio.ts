import { findExecutable } from '../../src/platform/managed-process';

/** Design §4: the tier runs when a `drachtio` binary is on PATH or DRACHTIO_HOST is set. */
export const drachtioPresent = findExecutable('drachtio') !== null || Boolean(process.env.DRACHTIO_HOST);

const SKIP_NOTE = ' [needs drachtio-server: skipped, no `drachtio` on PATH and no DRACHTIO_HOST]';

/** A test that needs drachtio-server: runs when it is present, otherwise is reported skipped under a name saying why. */
export function itWithDrachtio(name: string, fn: () => Promise<void>, timeout?: number): void {
  if (drachtioPresent) it(name, fn, timeout);
  else it.skip(`${name}${SKIP_NOTE}`, fn);
}

/** The same for a whole group of tests. */
export function describeWithDrachtio(name: string, fn: () => void): void {
  if (drachtioPresent) describe(name, fn);
  else describe.skip(`${name}${SKIP_NOTE}`, fn);
}
