import { useState } from 'preact/hooks';
import { ApiError, api } from '../../../shared/api-client';
import { ErrorBanner } from '../../../shared/components';
import { asApiError, useAsync } from '../../../shared/hooks';
import { translator } from '../../../shared/i18n';
import { CheckboxField, SelectField, TextField } from '../shared/form-controls';
import { Drawer, FormFooter, changedFields, listText, skillsToText, textToSkills, useSave } from './directory-shared';
import { everyMember } from '../../../shared/every-member';
import type { DepartmentRecord, QueueRecord, StaffRecord } from '../../../../directory/directory-records';

type StaffRole = StaffRecord['role'];
/** The role filter and picker, in the order shown; checked against the server's roles. */
const STAFF_ROLES = everyMember<StaffRole>()(['operator', 'key_account_manager', 'department_head', 'finance', 'quality', 'supervisor', 'admin']);

/** What the tab reads of a department: its name. */
type Named = Pick<DepartmentRecord, 'id' | 'name'>;
/** What the tab reads of a queue: its name in the table, its label in the picker. */
type QueueRef = Pick<QueueRecord, 'id' | 'name' | 'label'>;

const useT = translator({
  en: {
    staff: 'Staff', search: 'Search staff by name or SIP user', role: 'Role', anyRole: 'any role', name: 'Full name', department: 'Department', skills: 'Skills', languages: 'Languages',
    sip: 'SIP user', queues: 'Queues served', active: 'Active', add: 'New staff member', edit: 'Edit {name}', create: 'New staff member', email: 'E-mail', none: '—',
    skillsHint: 'skill:level (1–5), comma-separated, e.g. orders:3, regional:2', languagesHint: 'two-letter codes, comma-separated, e.g. ru, en', noDept: 'no department',
    credentials: 'SIP credentials', hasCredentials: 'set', noCredentials: 'not set', reset: 'Reset SIP credentials', resetting: 'Resetting…',
    resetDone: 'New SIP password for {user} — shown only once, give it to the person now:', needUser: 'Enter a SIP user name first, then reset.', empty: 'No staff match.',
    loading: 'Loading…', inactive: 'inactive', count: '{n} people', confirmReset: 'Set a new SIP password for {user}? Their phones will have to register with the new one.',
    r_operator: 'operator', r_key_account_manager: 'key-account manager', r_department_head: 'department head', r_finance: 'finance', r_quality: 'quality control', r_supervisor: 'supervisor', r_admin: 'admin',
  },
  ru: {
    staff: 'Сотрудники', search: 'Поиск по имени или SIP-логину', role: 'Роль', anyRole: 'любая роль', name: 'ФИО', department: 'Отдел', skills: 'Навыки', languages: 'Языки',
    sip: 'SIP-логин', queues: 'Обслуживает очереди', active: 'Активен', add: 'Новый сотрудник', edit: 'Изменить: {name}', create: 'Новый сотрудник', email: 'E-mail', none: '—',
    skillsHint: 'навык:уровень (1–5) через запятую, напр. orders:3, regional:2', languagesHint: 'двухбуквенные коды через запятую, напр. ru, en', noDept: 'без отдела',
    credentials: 'SIP-учётные данные', hasCredentials: 'заданы', noCredentials: 'не заданы', reset: 'Сбросить SIP-пароль', resetting: 'Сброс…',
    resetDone: 'Новый SIP-пароль для {user} — показывается один раз, передайте его сотруднику сейчас:', needUser: 'Сначала укажите SIP-логин, затем сбросьте пароль.', empty: 'Никого не найдено.',
    loading: 'Загрузка…', inactive: 'неактивен', count: 'Сотрудников: {n}', confirmReset: 'Задать новый SIP-пароль для {user}? Телефонам придётся зарегистрироваться с новым.',
    r_operator: 'оператор', r_key_account_manager: 'менеджер ключевых клиентов', r_department_head: 'руководитель отдела', r_finance: 'финансы', r_quality: 'контроль качества', r_supervisor: 'супервизор', r_admin: 'администратор',
  },
});

/** A password people can read out over the phone: no look-alike characters. */
function generatePassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

export function StaffTab(props: { selected: number | 'new' | null; onSelect: (id: number | 'new' | null) => void }): preact.JSX.Element {
  const t = useT();
  const staff = useAsync(() => api.get<StaffRecord[]>('/api/staff?limit=1000'), []);
  const departments = useAsync(() => api.get<Named[]>('/api/departments?limit=1000'), []);
  const queues = useAsync(() => api.get<QueueRef[]>('/api/queues?limit=1000'), []);
  const [search, setSearch] = useState('');
  const [role, setRole] = useState<'' | StaffRole>('');
  const deptName = (id: number | null): string => (id === null ? t('none') : departments.data?.find((d) => d.id === id)?.name ?? `#${id}`);
  const queueName = (id: number): string => queues.data?.find((q) => q.id === id)?.name ?? `#${id}`;
  const needle = search.trim().toLowerCase();
  const rows = (staff.data ?? []).filter((s) => (!role || s.role === role) && (!needle || s.fullName.toLowerCase().includes(needle) || (s.sipUsername ?? '').toLowerCase().includes(needle)));
  const editing = props.selected === 'new' ? null : (staff.data ?? []).find((s) => s.id === props.selected) ?? null;

  return (
    <section class="stack" aria-label={t('staff')}>
      <div class="toolbar">
        <input type="search" aria-label={t('search')} placeholder={t('search')} value={search} onInput={(e) => setSearch(e.currentTarget.value)} />
        <select aria-label={t('role')} value={role} onChange={(e) => setRole(e.currentTarget.value as '' | StaffRole)}>
          <option value="">{t('anyRole')}</option>
          {STAFF_ROLES.map((r) => <option key={r} value={r}>{t(`r_${r}`)}</option>)}
        </select>
        <span class="grow muted">{t('count', { n: rows.length })}</span>
        <button type="button" class="primary" onClick={() => props.onSelect('new')}>{t('add')}</button>
      </div>
      <ErrorBanner error={staff.error ?? departments.error ?? queues.error} />
      <div class="table-wrap">
        <table>
          <thead><tr><th>{t('name')}</th><th>{t('role')}</th><th>{t('department')}</th><th>{t('skills')}</th><th>{t('languages')}</th><th>{t('sip')}</th><th>{t('queues')}</th></tr></thead>
          <tbody>
            {staff.loading && !staff.data && <tr><td colSpan={7} class="muted">{t('loading')}</td></tr>}
            {staff.data && rows.length === 0 && <tr><td colSpan={7} class="muted">{t('empty')}</td></tr>}
            {rows.map((s) => (
              <tr key={s.id} class={`clickable ${props.selected === s.id ? 'selected' : ''}`} onClick={() => props.onSelect(s.id)}>
                <td><button type="button" class="link" onClick={(e) => { e.stopPropagation(); props.onSelect(s.id); }}>{s.fullName}</button>{!s.active && <> <span class="badge">{t('inactive')}</span></>}</td>
                <td>{t(`r_${s.role}`)}</td>
                <td>{deptName(s.departmentId)}</td>
                <td>{skillsToText(s.skills) || <span class="muted">—</span>}</td>
                <td>{s.languages.join(', ')}</td>
                <td>{s.sipUsername ? <><code>{s.sipUsername}</code> <span class={`badge ${s.hasSipCredentials ? 'ok' : 'bad'}`}>{s.hasSipCredentials ? t('hasCredentials') : t('noCredentials')}</span></> : <span class="muted">—</span>}</td>
                <td><div class="chips">{s.queueIds.map((q) => <span key={q} class="badge">{queueName(q)}</span>)}</div></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {props.selected !== null && (props.selected === 'new' || editing) && (
        <StaffForm key={String(props.selected)} record={editing} departments={departments.data ?? []} queues={queues.data ?? []}
          onClose={() => props.onSelect(null)} onSaved={(saved) => { staff.reload(); props.onSelect(saved.id); }} />
      )}
    </section>
  );
}

function StaffForm(props: { record: StaffRecord | null; departments: Named[]; queues: QueueRef[]; onClose: () => void; onSaved: (record: StaffRecord) => void }): preact.JSX.Element {
  const t = useT();
  const r = props.record;
  const [fullName, setFullName] = useState(r?.fullName ?? '');
  const [role, setRole] = useState<StaffRole>(r?.role ?? 'operator');
  const [departmentId, setDepartmentId] = useState(r?.departmentId ? String(r.departmentId) : '');
  const [skills, setSkills] = useState(r ? skillsToText(r.skills) : '');
  const [languages, setLanguages] = useState(r ? r.languages.join(', ') : 'ru');
  const [sipUsername, setSipUsername] = useState(r?.sipUsername ?? '');
  const [email, setEmail] = useState(r?.email ?? '');
  const [active, setActive] = useState(r?.active ?? true);
  const [queueIds, setQueueIds] = useState<number[]>(r?.queueIds ?? []);
  const [secret, setSecret] = useState<{ user: string; password: string } | null>(null);
  const [resetError, setResetError] = useState<ApiError | null>(null);
  const [resetting, setResetting] = useState(false);
  const save = useSave<StaffRecord>('/api/staff', r?.id ?? null);

  const body = (): Record<string, unknown> => ({
    fullName: fullName.trim(), role, departmentId: departmentId ? Number(departmentId) : null, skills: textToSkills(skills), languages: listText(languages),
    sipUsername: sipUsername.trim() || null, email: email.trim() || null, active, queueIds,
  });
  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const changes = changedFields(r, body());
    if (r && Object.keys(changes).length === 0) return props.onClose();
    const saved = await save.submit(changes);
    if (saved) props.onSaved(saved);
  };
  const reset = async (): Promise<void> => {
    const user = sipUsername.trim();
    if (!r || !user) {
      setSecret(null);
      setResetError(new ApiError(0, 'CLIENT', t('needUser')));
      return;
    }
    if (!window.confirm(t('confirmReset', { user }))) return;
    const password = generatePassword();
    setResetting(true);
    setResetError(null);
    try {
      // The digest is bound to the user name, so both travel together.
      const saved = await api.patch<StaffRecord>(`/api/staff/${r.id}`, { sipUsername: user, sipPassword: password });
      setSecret({ user, password });
      props.onSaved(saved);
    } catch (err) {
      setResetError(asApiError(err));
    } finally {
      setResetting(false);
    }
  };

  return (
    <Drawer title={r ? t('edit', { name: r.fullName }) : t('create')} onClose={props.onClose}>
      <form class="stack" onSubmit={(e) => void submit(e)}>
        <TextField label={t('name')} value={fullName} onInput={setFullName} error={save.fields.fullName} required />
        <div class="grid-2">
          <SelectField label={t('role')} value={role} options={STAFF_ROLES.map((x) => ({ value: x, label: t(`r_${x}`) }))} onChange={setRole} error={save.fields.role} />
          <SelectField label={t('department')} value={departmentId} options={[{ value: '', label: t('noDept') }, ...props.departments.map((d) => ({ value: String(d.id), label: d.name }))]}
            onChange={setDepartmentId} error={save.fields.departmentId} />
        </div>
        <TextField label={t('skills')} value={skills} onInput={setSkills} hint={t('skillsHint')} error={save.fields.skills} />
        <TextField label={t('languages')} value={languages} onInput={setLanguages} hint={t('languagesHint')} error={save.fields.languages} />
        <div class="grid-2">
          <TextField label={t('sip')} value={sipUsername} onInput={setSipUsername} error={save.fields.sipUsername} />
          <TextField label={t('email')} type="email" value={email} onInput={setEmail} error={save.fields.email} />
        </div>
        <CheckboxField label={t('active')} checked={active} onChange={setActive} />
        <fieldset>
          <legend>{t('queues')}</legend>
          <div class="chips">
            {props.queues.map((q) => (
              <CheckboxField key={q.id} label={q.label} checked={queueIds.includes(q.id)} onChange={(on) => setQueueIds(on ? [...queueIds, q.id] : queueIds.filter((x) => x !== q.id))} />
            ))}
          </div>
          {save.fields.queueIds && <small class="field-error" role="alert">{save.fields.queueIds}</small>}
        </fieldset>
        <FormFooter state={save} creating={!r} onCancel={props.onClose} />
      </form>
      {r && (
        <section class="card stack" aria-label={t('credentials')}>
          <h3>{t('credentials')}: <span class={`badge ${r.hasSipCredentials ? 'ok' : 'bad'}`}>{r.hasSipCredentials ? t('hasCredentials') : t('noCredentials')}</span></h3>
          <div><button type="button" disabled={resetting} onClick={() => void reset()}>{resetting ? t('resetting') : t('reset')}</button></div>
          <ErrorBanner error={resetError} onDismiss={() => setResetError(null)} />
          {secret && (
            <div role="status">
              <p>{t('resetDone', { user: secret.user })}</p>
              <p class="secret" aria-label="SIP password">{secret.password}</p>
            </div>
          )}
        </section>
      )}
    </Drawer>
  );
}
