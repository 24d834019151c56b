/**
 * The slice of the directory (Postgres) that routing needs: which queues,
 * departments and people exist. It changes rarely, so the caller may cache it;
 * the config validator checks references against it and `decideRoute` reads
 * names, roles and department heads from it.
 */
export interface DirectorySnapshot {
  readonly queues: readonly string[];
  readonly departments: readonly DirectoryDepartment[];
  readonly staff: readonly DirectoryStaff[];
  /** Known client type codes; when given, the validator refuses rules naming others. */
  readonly clientTypes?: readonly string[];
  /** Per-queue settings routing applies, by queue name; a queue missing here has none. */
  readonly queueSettings?: Readonly<Record<string, DirectoryQueueSettings>>;
}

/** What a queue's own record adds to a call routed to it. */
export interface DirectoryQueueSettings {
  /** Client type → priority in this queue; wins over the routing config's priorityByClientType. */
  readonly priorityByClientType: Readonly<Record<string, number>>;
  /** Skill → minimum level every agent of the queue needs (its own matching plan). */
  readonly requiredSkills: Readonly<Record<string, number>>;
}

export interface DirectoryDepartment {
  /** Stable code used in config (`wholesale_sales`, `finance`, `quality_control`, …). */
  readonly code: string;
  readonly name: string;
  readonly headStaffId: number | null;
  /** The department's own queue, if it has one; a department target rings it before its head. */
  readonly queue: string | null;
}

export interface DirectoryStaff {
  readonly id: number;
  /** Shown in reasons ("own manager Ivanov"), so the short form people use. */
  readonly name: string;
  /** As stored in staff.role (operator, key_account_manager, department_head, …); informational here. */
  readonly role: string;
  readonly departmentCode: string | null;
  /**
   * Counts for rule 4 ("another key-account manager"). Kept apart from the
   * role so that a head who also looks after key clients can be one.
   */
  readonly keyAccountManager: boolean;
  /** Inactive staff stay referenced by old calls but are never routed to. */
  readonly active: boolean;
}

/** Index over a snapshot, built once per decision or validation. */
export class DirectoryIndex {
  readonly queues: ReadonlySet<string>;
  private readonly departmentsByCode: ReadonlyMap<string, DirectoryDepartment>;
  private readonly staffById: ReadonlyMap<number, DirectoryStaff>;

  constructor(readonly snapshot: DirectorySnapshot) {
    this.queues = new Set(snapshot.queues);
    this.departmentsByCode = new Map(snapshot.departments.map((d) => [d.code, d]));
    this.staffById = new Map(snapshot.staff.map((s) => [s.id, s]));
  }

  department(code: string): DirectoryDepartment | undefined {
    return this.departmentsByCode.get(code);
  }

  person(id: number): DirectoryStaff | undefined {
    return this.staffById.get(id);
  }

  /** Active key-account managers, by id so that the order is stable between decisions. */
  keyAccountManagers(): DirectoryStaff[] {
    return this.snapshot.staff
      .filter((s) => s.active && s.keyAccountManager)
      .sort((a, b) => a.id - b.id);
  }
}
