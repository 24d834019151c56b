import { translator, type Translate } from '../../../shared/i18n';
import type { StepSpec, TargetSpec, TargetSpecKind } from '../../../../routing/target-spec';
import { CALLER_INTENTS } from '../../../../routing/caller-choice';
import { NumberField, SelectField, TextField } from '../shared/form-controls';
import type { Issue } from '../shared/versioned-config-api';
import type { DirectoryRefs } from './directory-refs';

export const STEP_KINDS: readonly TargetSpecKind[] = [
  'queue', 'person', 'department', 'department_head', 'client_manager', 'manager_department_head', 'key_account_managers', 'relevant_department_head', 'client_override', 'after_hours',
];

const dictionary = {
  en: {
    kind: 'Kind', queue: 'Queue', person: 'Person', department: 'Department', ring: 'Ring for (s)', priority: 'Priority (empty = by client type)',
    skills: 'Required skills (skill:level, …)', action: 'Action', prompt: 'Prompt', defaultDept: 'Default department', byClientType: 'By client type (type:department, …)',
    byRegion: 'By region (region:department, …)', byIntent: 'By intent (intent:department, …)', fallback: 'Fallback chain (tried in order)', step: 'Then', addStep: 'Add fallback step',
    removeStep: 'Remove step {n}', up: 'Move step {n} up', message: 'message only', deptShort: 'department {name}', headOf: 'head of {name}', callback: 'message and callback offer', inactive: 'inactive',
    k_queue: 'queue', k_person: 'a named person', k_department: 'department (its queue, else its head)', k_department_head: 'head of a department', k_client_manager: 'the client’s own manager',
    k_manager_department_head: 'head of the manager’s department', k_key_account_managers: 'any free key-account manager', k_relevant_department_head: 'head of the relevant department',
    k_client_override: 'the client’s override', k_after_hours: 'after-hours action',
  },
  ru: {
    kind: 'Вид', queue: 'Очередь', person: 'Сотрудник', department: 'Отдел', ring: 'Звонить (с)', priority: 'Приоритет (пусто = по типу клиента)',
    skills: 'Нужные навыки (навык:уровень, …)', action: 'Действие', prompt: 'Сообщение', defaultDept: 'Отдел по умолчанию', byClientType: 'По типу клиента (тип:отдел, …)',
    byRegion: 'По региону (регион:отдел, …)', byIntent: 'По цели звонка (цель:отдел, …)', fallback: 'Цепочка замены (по порядку)', step: 'Затем', addStep: 'Добавить шаг',
    removeStep: 'Убрать шаг {n}', up: 'Поднять шаг {n}', message: 'только сообщение', deptShort: 'отдел «{name}»', headOf: 'руководитель отдела «{name}»', callback: 'сообщение и обратный звонок', inactive: 'неактивен',
    k_queue: 'очередь', k_person: 'конкретный сотрудник', k_department: 'отдел (его очередь, иначе руководитель)', k_department_head: 'руководитель отдела', k_client_manager: 'менеджер клиента',
    k_manager_department_head: 'руководитель отдела менеджера', k_key_account_managers: 'любой свободный менеджер ключевых клиентов', k_relevant_department_head: 'руководитель профильного отдела',
    k_client_override: 'персональная настройка клиента', k_after_hours: 'действие в нерабочее время',
  },
};
export const useTargetT = translator(dictionary);
type TT = Translate<keyof typeof dictionary.en>;

/** `a:1, b:2` ⇄ `{ a: 1, b: 2 }` for the small maps in targets. */
export function mapToText(map: Record<string, string | number | undefined> | undefined): string {
  return Object.entries(map ?? {}).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}:${v}`).join(', ');
}
export function textToMap(text: string): Record<string, string> | undefined {
  const entries = text.split(',').map((p) => p.split(':').map((s) => s.trim())).filter((p): p is [string, string] => p.length === 2 && p[0] !== '' && p[1] !== '');
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

/** A step in words, for rule summaries: "queue operators", "own manager → any key-account manager". */
export function describeSpec(t: TT, step: StepSpec, refs: DirectoryRefs | null): string {
  switch (step.kind) {
    case 'queue':
      return `${t('k_queue')} ${step.queue}`;
    case 'person':
      return refs?.staff.find((s) => s.id === step.staffId)?.fullName ?? `#${step.staffId}`;
    case 'department':
      return t('deptShort', { name: refs?.departments.find((d) => d.code === step.department)?.name ?? step.department });
    case 'department_head':
      return t('headOf', { name: refs?.departments.find((d) => d.code === step.department)?.name ?? step.department });
    case 'after_hours':
      return `${t('k_after_hours')} (${step.action === 'callback' ? t('callback') : t('message')})`;
    default:
      return t(`k_${step.kind}`);
  }
}

export function describeTarget(t: TT, target: TargetSpec, refs: DirectoryRefs | null): string {
  return [target, ...(target.fallback ?? [])].map((s) => describeSpec(t, s, refs)).join(' → ');
}

function blankStep(kind: TargetSpecKind, refs: DirectoryRefs | null): StepSpec {
  const dept = refs?.departments[0]?.code ?? 'wholesale_sales';
  switch (kind) {
    case 'queue': return { kind, queue: refs?.queues[0]?.name ?? 'operators' };
    case 'person': return { kind, staffId: refs?.staff.find((s) => s.active)?.id ?? 1 };
    case 'department': return { kind, department: dept };
    case 'department_head': return { kind, department: dept };
    case 'relevant_department_head': return { kind, default: dept };
    case 'after_hours': return { kind, action: 'message', promptId: refs?.promptIds.includes('after_hours') ? 'after_hours' : refs?.promptIds[0] ?? 'after_hours' };
    case 'client_manager':
    case 'manager_department_head':
    case 'key_account_managers':
    case 'client_override':
      return { kind };
  }
}

/** The fields of one step; `issueAt(field)` gives the validator's message for a field of this step. */
export function StepEditor(props: { step: StepSpec; refs: DirectoryRefs | null; issueAt: (field: string) => string | undefined; onChange: (step: StepSpec) => void }): preact.JSX.Element {
  const t = useTargetT();
  const { step, refs } = props;
  const set = (patch: Record<string, unknown>): void => {
    const next = { ...step, ...patch } as Record<string, unknown>;
    for (const [k, v] of Object.entries(patch)) if (v === undefined) delete next[k];
    props.onChange(next as StepSpec);
  };
  const departments = (refs?.departments ?? []).map((d) => ({ value: d.code, label: `${d.name} (${d.code})` }));
  const withCurrent = (options: Array<{ value: string; label: string }>, current: string): Array<{ value: string; label: string }> =>
    options.some((o) => o.value === current) ? options : [{ value: current, label: current }, ...options];
  const ring = 'ringTimeoutSeconds' in step || ['person', 'department_head', 'client_manager', 'manager_department_head', 'key_account_managers', 'relevant_department_head'].includes(step.kind)
    ? <NumberField label={t('ring')} min={5} max={120} value={(step as { ringTimeoutSeconds?: number }).ringTimeoutSeconds} error={props.issueAt('ringTimeoutSeconds')} onInput={(v) => set({ ringTimeoutSeconds: v })} />
    : null;
  return (
    <>
      <SelectField label={t('kind')} value={step.kind} options={STEP_KINDS.map((k) => ({ value: k, label: t(`k_${k}`) }))} error={props.issueAt('kind')}
        onChange={(kind) => { if (kind !== step.kind) props.onChange(blankStep(kind, refs)); }} />
      {step.kind === 'queue' && (
        <>
          <SelectField label={t('queue')} value={step.queue} options={withCurrent((refs?.queues ?? []).map((q) => ({ value: q.name, label: `${q.label} (${q.name})` })), step.queue)}
            error={props.issueAt('queue')} onChange={(queue) => set({ queue })} />
          <NumberField label={t('priority')} min={0} max={100} value={step.priority} error={props.issueAt('priority')} onInput={(priority) => set({ priority })} />
          <TextField label={t('skills')} value={mapToText(step.requiredSkills)} error={props.issueAt('requiredSkills')}
            onInput={(text) => { const m = textToMap(text); set({ requiredSkills: m ? Object.fromEntries(Object.entries(m).map(([k, v]) => [k, Number(v)])) : undefined }); }} />
        </>
      )}
      {step.kind === 'person' && (
        <SelectField label={t('person')} value={String(step.staffId)} error={props.issueAt('staffId')}
          options={withCurrent((refs?.staff ?? []).map((s) => ({ value: String(s.id), label: `${s.fullName}${s.active ? '' : ` (${t('inactive')})`}` })), String(step.staffId))}
          onChange={(id) => set({ staffId: Number(id) })} />
      )}
      {(step.kind === 'department' || step.kind === 'department_head') && (
        <SelectField label={t('department')} value={step.department} options={withCurrent(departments, step.department)} error={props.issueAt('department')} onChange={(department) => set({ department })} />
      )}
      {step.kind === 'relevant_department_head' && (
        <>
          <SelectField label={t('defaultDept')} value={step.default} options={withCurrent(departments, step.default)} error={props.issueAt('default')} onChange={(v) => set({ default: v })} />
          <TextField label={t('byClientType')} value={mapToText(step.byClientType)} onInput={(v) => set({ byClientType: textToMap(v) })} error={props.issueAt('byClientType')} />
          <TextField label={t('byRegion')} value={mapToText(step.byRegion)} onInput={(v) => set({ byRegion: textToMap(v) })} error={props.issueAt('byRegion')} />
          <TextField label={t('byIntent')} value={mapToText(step.byIntent)} onInput={(v) => set({ byIntent: textToMap(v) })} error={props.issueAt('byIntent')} hint={CALLER_INTENTS.join(', ')} />
        </>
      )}
      {step.kind === 'after_hours' && (
        <>
          <SelectField label={t('action')} value={step.action} options={[{ value: 'message', label: t('message') }, { value: 'callback', label: t('callback') }]} onChange={(action) => set({ action })} />
          <SelectField label={t('prompt')} value={step.promptId} options={withCurrent((refs?.promptIds ?? []).map((p) => ({ value: p, label: p })), step.promptId)} error={props.issueAt('promptId')} onChange={(promptId) => set({ promptId })} />
        </>
      )}
      {ring}
    </>
  );
}

/**
 * A target with its fallback chain. `path` is where it sits in the document
 * (`rules[4].target`), so the validator's messages land on the right step.
 */
export function TargetEditor(props: { target: TargetSpec; path: string; issues: readonly Issue[]; refs: DirectoryRefs | null; onChange: (target: TargetSpec) => void; allowFallback?: boolean }): preact.JSX.Element {
  const t = useTargetT();
  const { target } = props;
  const chain = target.fallback ?? [];
  const issueAt = (prefix: string) => (field: string): string | undefined => {
    const at = field ? `${prefix}.${field}` : prefix;
    const found = props.issues.filter((i) => i.path === at || (field === '' && i.path === prefix)).map((i) => i.message);
    return found.length > 0 ? found.join('; ') : undefined;
  };
  const stepIssues = (prefix: string): string[] => props.issues.filter((i) => i.path === prefix).map((i) => i.message);
  const { fallback: _fallback, ...head } = target;
  const writeChain = (next: StepSpec[]): void => props.onChange({ ...head, ...(next.length > 0 ? { fallback: next } : {}) });
  return (
    <div class="chain">
      <div class="chain-step">
        <StepEditor step={head} refs={props.refs} issueAt={issueAt(props.path)}
          onChange={(step) => props.onChange({ ...step, ...(chain.length > 0 ? { fallback: chain } : {}) })} />
      </div>
      {stepIssues(props.path).map((m) => <p key={m} class="field-error" role="alert">{m}</p>)}
      {props.issues.filter((i) => i.path === `${props.path}.fallback`).map((i) => <p key={i.message} class="field-error" role="alert">{i.message}</p>)}
      {props.allowFallback !== false && (
        <fieldset>
          <legend>{t('fallback')}</legend>
          {chain.map((step, index) => {
            const at = `${props.path}.fallback[${index}]`;
            return (
              <div key={index}>
                <div class="chain-step">
                  <span class="step-no">{t('step')} {index + 1}</span>
                  <StepEditor step={step} refs={props.refs} issueAt={issueAt(at)} onChange={(s) => writeChain(chain.map((c, i) => (i === index ? s : c)))} />
                  {index > 0 && <button type="button" aria-label={t('up', { n: index + 1 })} onClick={() => writeChain(chain.map((c, i) => (i === index - 1 ? step : i === index ? (chain[index - 1] as StepSpec) : c)))}>↑</button>}
                  <button type="button" class="link" aria-label={t('removeStep', { n: index + 1 })} onClick={() => writeChain(chain.filter((_, i) => i !== index))}>✕</button>
                </div>
                {stepIssues(at).map((m) => <p key={m} class="field-error" role="alert">{m}</p>)}
              </div>
            );
          })}
          <button type="button" onClick={() => writeChain([...chain, blankStep('queue', props.refs)])}>{t('addStep')}</button>
        </fieldset>
      )}
    </div>
  );
}
