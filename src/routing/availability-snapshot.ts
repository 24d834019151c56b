/**
 * Who can take a call right now, read from the ACD's live state just before
 * the decision. It only chooses the best first target; the fallback chain in
 * the decision lets the ACD move on if that changes while a phone rings.
 */
export interface AvailabilitySnapshot {
  /** Staff missing from the list are treated as logged out. */
  readonly staff: readonly StaffPresence[];
  /** Queues missing from the list are treated as staffed: better to queue than to skip blindly. */
  readonly queues: readonly QueuePresence[];
}

/** `busy` = on a call, ringing or in wrap-up; `not_ready` = logged in but paused (break, lunch). */
export type Presence = 'available' | 'busy' | 'not_ready' | 'logged_out';

export interface StaffPresence {
  readonly staffId: number;
  readonly presence: Presence;
}

export interface QueuePresence {
  readonly queue: string;
  readonly agentsLoggedIn: number;
  readonly agentsAvailable: number;
}

/** How reachable a candidate target is: free now, there but occupied, or not there at all. */
export type Reachability = 'free' | 'occupied' | 'absent';

/** Index over a snapshot, built once per decision. */
export class AvailabilityIndex {
  private readonly staff: ReadonlyMap<number, Presence>;
  private readonly queues: ReadonlyMap<string, QueuePresence>;

  constructor(snapshot: AvailabilitySnapshot) {
    this.staff = new Map(snapshot.staff.map((s) => [s.staffId, s.presence]));
    this.queues = new Map(snapshot.queues.map((q) => [q.queue, q]));
  }

  person(staffId: number): Reachability {
    const presence = this.staff.get(staffId) ?? 'logged_out';
    if (presence === 'available') return 'free';
    return presence === 'logged_out' ? 'absent' : 'occupied';
  }

  queue(name: string): Reachability {
    const q = this.queues.get(name);
    if (!q) return 'occupied';
    if (q.agentsAvailable > 0) return 'free';
    return q.agentsLoggedIn > 0 ? 'occupied' : 'absent';
  }
}
