import type { Invitation } from 'sip.js';

/** A header of an incoming INVITE; null when absent or empty. */
export function headerOf(invitation: Invitation, name: string): string | null {
  const value = invitation.request.getHeader(name);
  return value === undefined || value === '' ? null : value;
}

/** A URI-encoded header value decoded; one that is not valid %-encoding is kept as sent. */
export function decode(value: string | null): string | null {
  if (value === null) return null;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
