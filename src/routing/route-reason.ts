import { describeChoice, type CallerChoice } from './caller-choice';
import { describeDebt, formatAmount, type ClientFacts } from './client-facts';
import type { FallbackStep } from './route-target';

/** Placeholders a rule's reason template may use. */
export const REASON_PLACEHOLDERS = [
  'clientName',
  'clientType',
  'intent',
  'debt',
  'overdueDebt',
  'balance',
  'creditLimit',
  'region',
  'closedBecause',
] as const;

/** The placeholders in a template that are not known, for the validator. */
export function unknownPlaceholders(template: string): string[] {
  const known = new Set<string>(REASON_PLACEHOLDERS);
  return [...template.matchAll(/\{([^}]*)\}/g)].map((m) => m[1] ?? '').filter((name) => !known.has(name));
}

/** Values for the placeholders of one call. */
export interface ReasonFacts {
  readonly client: ClientFacts | null;
  readonly choice: CallerChoice;
  readonly closedBecause: string | null;
}

/** Fills a reason template; a value unknown for this call reads as a dash. */
export function renderReason(template: string, facts: ReasonFacts): string {
  const { client } = facts;
  const values: Record<(typeof REASON_PLACEHOLDERS)[number], string> = {
    clientName: client?.name ?? 'new caller',
    clientType: client?.type ?? 'new',
    intent: describeChoice(facts.choice),
    debt: client ? describeDebt(client) : 'no debt',
    overdueDebt: client ? formatAmount(client.overdueDebt) : '-',
    balance: client ? formatAmount(client.balance) : '-',
    creditLimit: client ? formatAmount(client.creditLimit) : '-',
    region: client?.region ?? '-',
    closedBecause: facts.closedBecause ?? 'open',
  };
  return template.replace(/\{([^}]*)\}/g, (whole, name: string) =>
    name in values ? values[name as keyof typeof values] : whole,
  );
}

/** One step in words: "own manager Ivanov", "queue regional (skills regional), priority 5". */
export function describeStep(step: FallbackStep): string {
  switch (step.kind) {
    case 'person':
      switch (step.role) {
        case 'client_manager':
          return `own manager ${step.name}`;
        case 'key_account_manager':
          return `key-account manager ${step.name}`;
        case 'department_head':
          return `head of ${step.departmentName ?? step.departmentCode ?? 'department'} ${step.name}`;
        case 'client_override':
          return `${step.name} (client override)`;
        case 'named':
          return step.name;
      }
      return step.name;
    case 'queue': {
      const skills = Object.keys(step.requiredSkills);
      const skillText = skills.length > 0 ? ` (skills ${skills.join(', ')})` : '';
      return `queue ${step.queue}${skillText}, priority ${step.priority}`;
    }
    case 'department':
      return step.departmentName;
    case 'after_hours':
      return step.action === 'callback' ? 'after-hours message and callback offer' : 'after-hours message';
  }
}

/** `debt_notice` → "debt notice". */
export function describeAnnouncement(promptId: string): string {
  return promptId.replace(/_/g, ' ');
}
