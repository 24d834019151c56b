import type { FallbackStep, RouteTarget } from '../../../src/routing/route-target';

/** A compact, readable form of a target and its chain for table assertions. */
export function summarise(target: RouteTarget): string {
  const steps: FallbackStep[] = [target, ...(target.kind === 'person' ? target.fallback : [])];
  return steps.map(step).join(' → ');
}

function step(s: FallbackStep): string {
  switch (s.kind) {
    case 'person':
      return `person:${s.name}`;
    case 'queue': {
      const skills = Object.entries(s.requiredSkills).map(([k, v]) => `${k}>=${v}`);
      return `queue:${s.queue}/p${s.priority}${skills.length ? `[${skills.join(',')}]` : ''}`;
    }
    case 'department':
      return `department:${s.department}`;
    case 'after_hours':
      return `after_hours:${s.action}`;
  }
}
