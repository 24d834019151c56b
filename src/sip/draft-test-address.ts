/**
 * The address a staff phone dials to test a DRAFT of an IVR flow (issue 7):
 *
 *   ivr-draft-<flow>[-v<version>][-as-<caller number>]
 *
 * - `<flow>`: the flow's name (`^[a-z][a-z0-9_]*$`, so it never holds a `-`);
 * - `-v<version>`: that draft version; without it, the flow's newest draft;
 * - `-as-<number>`: route the call as if this number called (a client's
 *   number, to test what that client would hear); without it the caller is
 *   the staff member dialling, i.e. an unknown caller.
 *
 * Pure and import-free: the server's dial plan reads it, the admin app writes it.
 */
export interface DraftTestAddress {
  flow: string;
  /** null: the newest draft of the flow. */
  version: number | null;
  /** null: the dialling staff member is the caller. */
  callerNumber: string | null;
}

/** The reserved prefix: a dialled name starting with it is a draft test, never a colleague or a number. */
export const DRAFT_TEST_PREFIX = 'ivr-draft-';

const PATTERN = /^ivr-draft-([a-z][a-z0-9_]*)(?:-v([1-9][0-9]{0,8}))?(?:-as-(\+?[0-9]{3,20}))?$/;

/** Reads a dialled user part as a draft-test address; null when it is not one (or is malformed). */
export function parseDraftTestAddress(dialled: string): DraftTestAddress | null {
  const match = PATTERN.exec(dialled.trim());
  if (!match?.[1]) return null;
  return { flow: match[1], version: match[2] ? Number(match[2]) : null, callerNumber: match[3] ?? null };
}

/**
 * Writes the address for a flow (and optionally a draft version and a caller
 * number: every character but digits and a leading + is dropped from it, so a
 * number typed as "+7 (495) 100-00-01" still dials).
 */
export function draftTestAddress(address: { flow: string; version?: number | null; callerNumber?: string | null }): string {
  const digits = (address.callerNumber ?? '').replace(/[^0-9+]/g, '').replace(/(?!^)\+/g, '');
  const caller = /^\+?[0-9]{3,20}$/.test(digits) ? `-as-${digits}` : '';
  const version = address.version ? `-v${address.version}` : '';
  return `${DRAFT_TEST_PREFIX}${address.flow}${version}${caller}`;
}
