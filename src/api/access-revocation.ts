import { randomUUID } from 'node:crypto';
import type { Acd } from '../acd';
import type { Queryable } from '../db/pool';
import { findPhoneProfile } from '../db/repositories/sip-login-repository';
import { listUserIdsOfStaff, type UserRecord } from '../db/repositories/users-repository';
import type { Logger } from '../logger';
import type { RegistrationStore, SipTransport } from '../sip/registration-store';
import type { SoftphoneSecrets } from '../sip/softphone-credentials';
import type { AccessChangeFeed, SocketSessions } from './socket-sessions';

/** Bindings a browser softphone makes (sip.js over WebSocket): the ones a softphone secret can have made. */
const BROWSER_TRANSPORTS: ReadonlySet<SipTransport> = new Set(['ws', 'wss']);

export interface AccessRevocationOptions {
  db: Queryable;
  secrets: SoftphoneSecrets;
  registrations: RegistrationStore;
  sockets: SocketSessions;
  feed: AccessChangeFeed;
  /** Takes a person whose last phone was removed out of the pool, as the registrar's presence does. */
  acd?: Pick<Acd, 'markUnreachable'> | undefined;
  logger: Logger;
}

/**
 * Ends what a person was granted when the grant ends (issue 15, item 5):
 * softphone SIP secrets, the registrations made with them, and open
 * WebSockets. Logout ends the session's own secrets, and the person's
 * browser registrations once no other session holds a secret. A password
 * change or deactivation of the user, and deactivating (or deleting) the staff
 * member, end all of the person's softphone secrets and every registration:
 * the registrar does not record which password made a binding, so a device
 * registered with a leaked softphone secret could hide among desk phones; a
 * desk phone comes back with its own password at its next refresh. Sockets are
 * told to re-check their session at once, in every process (SocketSessions).
 */
export class AccessRevocation {
  constructor(private readonly options: AccessRevocationOptions) {}

  /** One session logged out: its softphone secrets, and the person's browser registrations when no other session keeps a secret. */
  async sessionEnded(user: UserRecord, sessionHash: string): Promise<void> {
    const revoked = await this.options.secrets.revokeSession(sessionHash);
    if (user.staffId !== null && revoked.length > 0 && revoked.every((r) => !r.othersLive)) {
      await this.removeBindings(user.staffId, BROWSER_TRANSPORTS);
    }
    await this.announce([user.id]);
  }

  /** The user's password changed or the user was deactivated (their sessions are revoked already). */
  async userAccessEnded(user: UserRecord): Promise<void> {
    if (user.staffId !== null) {
      const profile = await findPhoneProfile(this.options.db, user.staffId);
      if (profile?.sipUsername) await this.options.secrets.revokeAll(profile.sipUsername);
      await this.removeBindings(user.staffId, null);
    }
    await this.announce([user.id]);
  }

  /** The user's role or staff link changed: their sockets re-check at once. */
  async userChanged(userId: number): Promise<void> {
    await this.announce([userId]);
  }

  /** The staff member was deactivated, deleted or renamed on SIP: no softphone secret and no registration of the old name survives. */
  async staffAccessEnded(staff: { id: number; sipUsername: string | null }): Promise<void> {
    if (staff.sipUsername) await this.options.secrets.revokeAll(staff.sipUsername);
    await this.removeBindings(staff.id, null);
    await this.announce(await listUserIdsOfStaff(this.options.db, staff.id));
  }

  /** Removes the person's bindings over `transports` (null: all) through the store's own API, as a REGISTER with Expires: 0 would. */
  private async removeBindings(staffId: number, transports: ReadonlySet<SipTransport> | null): Promise<void> {
    const { registrations } = this.options;
    const removeKeys = (await registrations.contactsOf(staffId)).filter((b) => !transports || transports.has(b.transport)).map((b) => b.key);
    if (removeKeys.length === 0) return;
    // A Call-ID of its own, so that the store's RFC 3261 §10.3 ordering check never takes it for a device's retransmission.
    const result = await registrations.apply({ staffId, callId: `access-revoked-${randomUUID()}`, cseq: 1, upserts: [], removeKeys, removeAll: false });
    this.options.logger.info({ staffId, removed: removeKeys.length }, 'registrations removed: the access that made them ended');
    if (result.kind === 'applied' && result.events.some((e) => e.type === 'staff-offline') && this.options.acd) {
      await this.options.acd.markUnreachable(String(staffId), 'registrar:access-revoked');
    }
  }

  private async announce(userIds: number[]): Promise<void> {
    if (userIds.length === 0) return;
    await this.options.sockets.recheck(userIds);
    await this.options.feed.publish({ userIds });
  }
}
