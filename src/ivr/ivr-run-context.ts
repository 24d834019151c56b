import type { BusinessHoursSchedule } from '../routing/business-hours-schedule';
import type { ClientFacts } from '../routing/client-facts';
import { isInDebt } from '../routing/client-facts';
import type { BranchCondition } from './flow-document';

/** The per-call facts a run branches on. */
export interface IvrRunContext {
  /** null = new or unknown caller. */
  readonly client: ClientFacts | null;
  /** Schedule for business_hours nodes (the routing config's, as of the call's start). */
  readonly businessHours: BusinessHoursSchedule;
  /** Forces a language (e.g. chosen by the dialled number); else the client's, else the flow default. */
  readonly language?: string;
}

/** True when every constraint of a branch case holds. */
export function branchHolds(
  when: BranchCondition,
  context: IvrRunContext,
  language: string,
  variables: Readonly<Record<string, string>>,
): boolean {
  const { client } = context;
  if (when.known !== undefined && when.known !== (client !== null)) return false;
  if (when.hasManager !== undefined && when.hasManager !== (client?.managerId != null)) return false;
  if (when.clientTypes && !(client && when.clientTypes.includes(client.type))) return false;
  if (when.inDebt !== undefined && when.inDebt !== isInDebt(client)) return false;
  if (when.languages && !when.languages.includes(language)) return false;
  if (when.variable && variables[when.variable.name] !== when.variable.equals) return false;
  return true;
}
