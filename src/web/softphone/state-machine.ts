/**
 * One explicit state machine per lifecycle (design §8): a string union of
 * states, a table of allowed transitions and one `transition()` that records
 * and notifies. A transition the table does not allow is refused (returns
 * false) rather than thrown: SIP events arrive in orders a page cannot
 * control, and an unexpected one must not break the screen.
 */
export type TransitionTable<S extends string> = Readonly<Record<S, readonly S[]>>;

export interface StateChange<S extends string> {
  from: S;
  to: S;
  why: string;
  at: number;
}

export class StateMachine<S extends string> {
  private current: S;
  private readonly listeners = new Set<(change: StateChange<S>) => void>();
  /** The last few transitions, for the debug view and for tests. */
  readonly history: Array<StateChange<S>> = [];

  constructor(private readonly name: string, private readonly table: TransitionTable<S>, initial: S) {
    this.current = initial;
  }

  get state(): S {
    return this.current;
  }

  can(to: S): boolean {
    return this.table[this.current].includes(to);
  }

  transition(to: S, why: string): boolean {
    if (to === this.current) return true;
    if (!this.can(to)) {
      this.history.push({ from: this.current, to: this.current, why: `${this.name}: refused ${this.current} → ${to} (${why})`, at: Date.now() });
      this.trim();
      return false;
    }
    const change: StateChange<S> = { from: this.current, to, why, at: Date.now() };
    this.current = to;
    this.history.push(change);
    this.trim();
    for (const listener of this.listeners) listener(change);
    return true;
  }

  onChange(listener: (change: StateChange<S>) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  private trim(): void {
    if (this.history.length > 50) this.history.splice(0, this.history.length - 50);
  }
}
