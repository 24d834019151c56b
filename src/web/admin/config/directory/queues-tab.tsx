import { useState } from 'preact/hooks';
import { api } from '../../../shared/api-client';
import { ErrorBanner } from '../../../shared/components';
import { useAsync } from '../../../shared/hooks';
import { translator } from '../../../shared/i18n';
import { CheckboxField, NumberField, SelectField, TextField } from '../shared/form-controls';
import { Drawer, FormFooter, changedFields, skillsToText, textToSkills, useSave } from './directory-shared';
import { everyMember } from '../../../shared/every-member';
import { QueueSupervisorsField } from './queue-supervisors-field';
import type { DepartmentRecord, QueueRecord as Queue, StaffRecord } from '../../../../directory/directory-records';

type Overflow = Queue['overflowTarget'];
type OverflowKind = 'none' | NonNullable<Overflow>['kind'];
// The pickers' options in the order shown, checked against the server's unions.
const STRATEGIES = everyMember<Queue['strategy']>()(['longest_idle', 'fewest_calls', 'round_robin', 'linear', 'weighted_random']);
const EMPTY_POLICIES = everyMember<Queue['emptyQueuePolicy']>()(['wait', 'overflow', 'callback']);
const OVERFLOW_KINDS = everyMember<OverflowKind>()(['none', 'queue', 'staff', 'callback', 'voicemail']);
/** The in-queue option keys: not offered, or one digit. */
const KEY_OPTIONS = ['', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** What the tab reads of a staff member: overflow people and queue members to pick. */
type StaffRef = Pick<StaffRecord, 'id' | 'fullName' | 'active'>;
type DepartmentName = Pick<DepartmentRecord, 'id' | 'name'>;

const useT = translator({
  en: {
    queues: 'Queues', name: 'Name', label: 'Label', strategy: 'Strategy', members: 'Agents', ring: 'Ring (s)', maxWait: 'Max wait (s)', wrapUp: 'Wrap-up (s)', overflow: 'Overflow',
    announce: 'Announce every (s)', moh: 'Music on hold', sl: 'Service level (s)', slTarget: 'Service level target (%)', longWait: 'Long-wait alert (s)', longWaitHint: 'empty = the wallboard default, 60 s', department: 'Department', skills: 'Required skills', emptyPolicy: 'When nobody is logged in',
    active: 'Active', add: 'New queue', edit: 'Edit {name}', create: 'New queue', none: 'none', overflowQueue: 'Overflow queue', overflowStaff: 'Overflow person', inactive: 'inactive',
    announceHint: '0 = no position announcements; the first comes after one interval', mohHint: "'default', or the id of a prompt to loop",
    callbackKey: 'Key: call me back (said after each announcement)', messageKey: 'Key: leave a message', keyNone: 'not offered', skillsHint: 'skill:level, comma-separated', loading: 'Loading…', empty: 'No queues yet.',
    s_longest_idle: 'longest idle', s_fewest_calls: 'fewest calls', s_round_robin: 'round robin', s_linear: 'in order', s_weighted_random: 'weighted random',
    o_none: 'none', o_queue: 'another queue', o_staff: 'a person', o_callback: 'callback request', o_voicemail: 'voicemail', e_wait: 'keep waiting', e_overflow: 'overflow at once', e_callback: 'offer a callback',
  },
  ru: {
    queues: 'Очереди', name: 'Имя', label: 'Название', strategy: 'Стратегия', members: 'Агенты', ring: 'Звонок (с)', maxWait: 'Макс. ожидание (с)', wrapUp: 'Постобработка (с)', overflow: 'Переполнение',
    announce: 'Объявлять каждые (с)', moh: 'Музыка ожидания', sl: 'Уровень сервиса (с)', slTarget: 'Цель уровня сервиса (%)', longWait: 'Тревога долгого ожидания (с)', longWaitHint: 'пусто = по умолчанию табло, 60 с', department: 'Отдел', skills: 'Нужные навыки', emptyPolicy: 'Если никого нет в системе',
    active: 'Активна', add: 'Новая очередь', edit: 'Изменить: {name}', create: 'Новая очередь', none: 'нет', overflowQueue: 'Очередь переполнения', overflowStaff: 'Сотрудник при переполнении', inactive: 'неактивна',
    announceHint: '0 = без объявлений позиции; первое — через один интервал', mohHint: "'default' или id записи для повтора",
    callbackKey: 'Клавиша: перезвоните мне (называется после объявления)', messageKey: 'Клавиша: оставить сообщение', keyNone: 'не предлагать', skillsHint: 'навык:уровень через запятую', loading: 'Загрузка…', empty: 'Очередей пока нет.',
    s_longest_idle: 'дольше всех свободен', s_fewest_calls: 'меньше всего звонков', s_round_robin: 'по кругу', s_linear: 'по порядку', s_weighted_random: 'взвешенно случайно',
    o_none: 'нет', o_queue: 'другая очередь', o_staff: 'сотрудник', o_callback: 'заявка на обратный звонок', o_voicemail: 'голосовая почта', e_wait: 'ждать', e_overflow: 'сразу переполнение', e_callback: 'предложить обратный звонок',
  },
});

export function QueuesTab(props: { selected: number | 'new' | null; onSelect: (id: number | 'new' | null) => void }): preact.JSX.Element {
  const t = useT();
  const queues = useAsync(() => api.get<Queue[]>('/api/queues?limit=1000'), []);
  const staff = useAsync(() => api.get<StaffRef[]>('/api/staff?limit=1000'), []);
  const departments = useAsync(() => api.get<DepartmentName[]>('/api/departments?limit=1000'), []);
  const editing = props.selected === 'new' ? null : (queues.data ?? []).find((q) => q.id === props.selected) ?? null;
  const overflowText = (o: Overflow): string => !o ? t('none') : o.kind === 'queue' ? `→ ${o.queue}` : o.kind === 'staff' ? `→ ${staff.data?.find((s) => s.id === o.staffId)?.fullName ?? o.staffId}` : t(`o_${o.kind}`);
  return (
    <section class="stack" aria-label={t('queues')}>
      <div class="toolbar"><span class="grow" /><button type="button" class="primary" onClick={() => props.onSelect('new')}>{t('add')}</button></div>
      <ErrorBanner error={queues.error ?? staff.error ?? departments.error} />
      <div class="table-wrap">
        <table>
          <thead><tr><th>{t('label')}</th><th>{t('name')}</th><th>{t('strategy')}</th><th class="num">{t('members')}</th><th class="num">{t('ring')}</th><th class="num">{t('maxWait')}</th><th class="num">{t('wrapUp')}</th><th>{t('overflow')}</th><th class="num">{t('announce')}</th><th>{t('moh')}</th></tr></thead>
          <tbody>
            {queues.loading && !queues.data && <tr><td colSpan={10} class="muted">{t('loading')}</td></tr>}
            {queues.data?.length === 0 && <tr><td colSpan={10} class="muted">{t('empty')}</td></tr>}
            {(queues.data ?? []).map((q) => (
              <tr key={q.id} class={`clickable ${props.selected === q.id ? 'selected' : ''}`} onClick={() => props.onSelect(q.id)}>
                <td><button type="button" class="link" onClick={(e) => { e.stopPropagation(); props.onSelect(q.id); }}>{q.label}</button>{!q.active && <> <span class="badge">{t('inactive')}</span></>}</td>
                <td><code>{q.name}</code></td>
                <td>{t(`s_${q.strategy}`)}</td>
                <td class="num">{q.memberIds.length}</td>
                <td class="num">{q.ringTimeoutSeconds}</td>
                <td class="num">{q.maxWaitSeconds}</td>
                <td class="num">{q.wrapUpSeconds}</td>
                <td>{overflowText(q.overflowTarget)}</td>
                <td class="num">{q.announceEverySeconds || '—'}</td>
                <td><code>{q.musicOnHold}</code></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {props.selected !== null && (props.selected === 'new' || editing) && (
        <QueueForm key={String(props.selected)} record={editing} queues={queues.data ?? []} staff={staff.data ?? []} departments={departments.data ?? []}
          onClose={() => props.onSelect(null)} onSaved={(saved) => { queues.reload(); props.onSelect(saved.id); }} />
      )}
    </section>
  );
}

function QueueForm(props: {
  record: Queue | null; queues: Queue[]; staff: StaffRef[]; departments: DepartmentName[]; onClose: () => void; onSaved: (q: Queue) => void;
}): preact.JSX.Element {
  const t = useT();
  const r = props.record;
  const [name, setName] = useState(r?.name ?? '');
  const [label, setLabel] = useState(r?.label ?? '');
  const [departmentId, setDepartmentId] = useState(r?.departmentId ? String(r.departmentId) : '');
  const [skills, setSkills] = useState(r ? skillsToText(r.requiredSkills) : '');
  const [strategy, setStrategy] = useState<Queue['strategy']>(r?.strategy ?? 'longest_idle');
  const [ring, setRing] = useState<number | undefined>(r?.ringTimeoutSeconds ?? 20);
  const [maxWait, setMaxWait] = useState<number | undefined>(r?.maxWaitSeconds ?? 300);
  const [wrapUp, setWrapUp] = useState<number | undefined>(r?.wrapUpSeconds ?? 30);
  const [sl, setSl] = useState<number | undefined>(r?.serviceLevelSeconds ?? 20);
  const [slTarget, setSlTarget] = useState<number | undefined>(r?.serviceLevelTargetPercent ?? 90);
  const [longWait, setLongWait] = useState<number | undefined>(r?.longWaitAlertSeconds ?? undefined);
  const [announce, setAnnounce] = useState<number | undefined>(r?.announceEverySeconds ?? 30);
  const [moh, setMoh] = useState(r?.musicOnHold ?? 'default');
  const [callbackKey, setCallbackKey] = useState(r ? r.callbackKey ?? '' : '1');
  const [messageKey, setMessageKey] = useState(r ? r.messageKey ?? '' : '2');
  const [overflowKind, setOverflowKind] = useState<OverflowKind>(r?.overflowTarget?.kind ?? 'none');
  const [overflowQueue, setOverflowQueue] = useState(r?.overflowTarget?.kind === 'queue' ? r.overflowTarget.queue : props.queues.find((q) => q.id !== r?.id)?.name ?? '');
  const [overflowStaff, setOverflowStaff] = useState(r?.overflowTarget?.kind === 'staff' ? String(r.overflowTarget.staffId) : String(props.staff[0]?.id ?? ''));
  const [emptyPolicy, setEmptyPolicy] = useState<Queue['emptyQueuePolicy']>(r?.emptyQueuePolicy ?? 'wait');
  const [active, setActive] = useState(r?.active ?? true);
  const [members, setMembers] = useState<number[]>(r?.memberIds ?? []);
  const save = useSave<Queue>('/api/queues', r?.id ?? null);

  const overflow = (): Overflow => {
    switch (overflowKind) {
      case 'none': return null;
      case 'queue': return { kind: 'queue', queue: overflowQueue };
      case 'staff': return { kind: 'staff', staffId: Number(overflowStaff) };
      default: return { kind: overflowKind };
    }
  };
  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const body = {
      name: name.trim(), label: label.trim(), departmentId: departmentId ? Number(departmentId) : null,
      requiredSkills: textToSkills(skills), strategy, ringTimeoutSeconds: ring, maxWaitSeconds: maxWait, wrapUpSeconds: wrapUp, serviceLevelSeconds: sl,
      serviceLevelTargetPercent: slTarget, longWaitAlertSeconds: longWait ?? null,
      announceEverySeconds: announce, musicOnHold: moh.trim(), callbackKey: callbackKey || null, messageKey: messageKey || null, overflowTarget: overflow(), emptyQueuePolicy: emptyPolicy, active, memberIds: members,
    };
    const changes = changedFields(r, body);
    if (r && Object.keys(changes).length === 0) return props.onClose();
    const saved = await save.submit(changes);
    if (saved) props.onSaved(saved);
  };
  const f = save.fields;
  return (
    <Drawer title={r ? t('edit', { name: r.label }) : t('create')} onClose={props.onClose}>
      <form class="stack" onSubmit={(e) => void submit(e)}>
        <div class="grid-2">
          <TextField label={t('label')} value={label} onInput={setLabel} error={f.label} required />
          <TextField label={t('name')} value={name} onInput={setName} error={f.name} required />
          <SelectField label={t('department')} value={departmentId} options={[{ value: '', label: t('none') }, ...props.departments.map((d) => ({ value: String(d.id), label: d.name }))]} onChange={setDepartmentId} error={f.departmentId} />
          <SelectField label={t('strategy')} value={strategy} options={STRATEGIES.map((s) => ({ value: s, label: t(`s_${s}`) }))} onChange={setStrategy} error={f.strategy} />
          <TextField label={t('skills')} value={skills} onInput={setSkills} hint={t('skillsHint')} error={f.requiredSkills} />
        </div>
        <div class="grid-3">
          <NumberField label={t('ring')} min={5} max={120} value={ring} onInput={setRing} error={f.ringTimeoutSeconds} />
          <NumberField label={t('maxWait')} min={10} max={7200} value={maxWait} onInput={setMaxWait} error={f.maxWaitSeconds} />
          <NumberField label={t('wrapUp')} min={0} max={3600} value={wrapUp} onInput={setWrapUp} error={f.wrapUpSeconds} />
          <NumberField label={t('sl')} min={1} max={600} value={sl} onInput={setSl} error={f.serviceLevelSeconds} />
          <NumberField label={t('slTarget')} min={1} max={99.9} step={0.1} value={slTarget} onInput={setSlTarget} error={f.serviceLevelTargetPercent} />
          <NumberField label={t('longWait')} min={5} max={7200} value={longWait} onInput={setLongWait} error={f.longWaitAlertSeconds} hint={t('longWaitHint')} />
          <NumberField label={t('announce')} min={0} max={600} value={announce} onInput={setAnnounce} error={f.announceEverySeconds} hint={t('announceHint')} />
          <TextField label={t('moh')} value={moh} onInput={setMoh} error={f.musicOnHold} hint={t('mohHint')} />
          <SelectField label={t('callbackKey')} value={callbackKey} options={KEY_OPTIONS.map((k) => ({ value: k, label: k || t('keyNone') }))} onChange={setCallbackKey} error={f.callbackKey} />
          <SelectField label={t('messageKey')} value={messageKey} options={KEY_OPTIONS.map((k) => ({ value: k, label: k || t('keyNone') }))} onChange={setMessageKey} error={f.messageKey} />
        </div>
        <div class="grid-3">
          <SelectField label={t('overflow')} value={overflowKind} options={OVERFLOW_KINDS.map((k) => ({ value: k, label: t(`o_${k}`) }))} onChange={setOverflowKind} error={f.overflowTarget} />
          {overflowKind === 'queue' && <SelectField label={t('overflowQueue')} value={overflowQueue} options={props.queues.filter((q) => q.id !== r?.id).map((q) => ({ value: q.name, label: q.label }))} onChange={setOverflowQueue} />}
          {overflowKind === 'staff' && <SelectField label={t('overflowStaff')} value={overflowStaff} options={props.staff.filter((s) => s.active).map((s) => ({ value: String(s.id), label: s.fullName }))} onChange={setOverflowStaff} />}
          <SelectField label={t('emptyPolicy')} value={emptyPolicy} options={EMPTY_POLICIES.map((p) => ({ value: p, label: t(`e_${p}`) }))} onChange={setEmptyPolicy} error={f.emptyQueuePolicy} />
        </div>
        <CheckboxField label={t('active')} checked={active} onChange={setActive} />
        <fieldset>
          <legend>{t('members')}</legend>
          <div class="chips">
            {props.staff.filter((s) => s.active || members.includes(s.id)).map((s) => (
              <CheckboxField key={s.id} label={s.fullName} checked={members.includes(s.id)} onChange={(on) => setMembers(on ? [...members, s.id] : members.filter((m) => m !== s.id))} />
            ))}
          </div>
        </fieldset>
        {r && <QueueSupervisorsField queueId={r.id} />}
        <FormFooter state={save} creating={!r} onCancel={props.onClose} />
      </form>
    </Drawer>
  );
}
