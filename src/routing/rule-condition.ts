import type { CallFacts } from './call-facts';
import type { CallerChoice } from './caller-choice';
import { isInDebt, type ClientFacts } from './client-facts';
import type { RuleCondition } from './routing-config-schema';

/** What a rule condition is evaluated against. */
export interface ConditionFacts {
  readonly call: CallFacts;
  readonly client: ClientFacts | null;
  readonly choice: CallerChoice;
  readonly open: boolean;
}

/** True when every constraint given in `when` holds. */
export function conditionHolds(when: RuleCondition, facts: ConditionFacts): boolean {
  const { client, choice } = facts;
  if (when.businessHours !== undefined && (when.businessHours === 'open') !== facts.open) return false;
  if (when.known !== undefined && when.known !== (client !== null)) return false;
  if (when.hasManager !== undefined && when.hasManager !== (client?.managerId != null)) return false;
  if (when.hasOverride !== undefined && when.hasOverride !== (client?.overrideTarget != null)) return false;
  if (when.clientTypes && !(client && when.clientTypes.includes(client.type))) return false;
  if (when.clientIds && !(client && when.clientIds.includes(client.id))) return false;
  if (when.intents && !when.intents.includes(choice.intent)) return false;
  if (when.topics && !(choice.topic && when.topics.includes(choice.topic))) return false;
  if (when.inDebt !== undefined && when.inDebt !== isInDebt(client)) return false;
  if (when.regions && !(client?.region && when.regions.includes(client.region))) return false;
  if (when.languages && !(client && when.languages.includes(client.language))) return false;
  if (when.dialledNumbers && !(facts.call.dialledNumber && when.dialledNumbers.includes(facts.call.dialledNumber))) {
    return false;
  }
  return true;
}

/** True when `when` constrains nothing, so the rule catches every call. */
export function isCatchAll(when: RuleCondition): boolean {
  return Object.values(when).every((v) => v === undefined);
}
