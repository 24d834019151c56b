import { useState } from 'preact/hooks';
import { api } from '../../../shared/api-client';
import { ErrorBanner } from '../../../shared/components';
import { useAsync } from '../../../shared/hooks';
import { translator } from '../../../shared/i18n';
import { SelectField, TextField } from '../shared/form-controls';
import { Drawer, FormFooter, changedFields, useSave } from './directory-shared';
import type { DepartmentRecord as Department, StaffRecord } from '../../../../directory/directory-records';

/** What the tab reads of a staff member: heads to pick, people to count. */
type StaffRef = Pick<StaffRecord, 'id' | 'fullName' | 'departmentId' | 'active'>;

const useT = translator({
  en: {
    departments: 'Departments', code: 'Code', name: 'Name', head: 'Head', noHead: 'no head', members: 'People', add: 'New department', edit: 'Edit {name}', create: 'New department',
    codeHint: 'lower case, used in routing rules (e.g. wholesale_sales)', loading: 'Loading…', empty: 'No departments yet.', headMissing: 'Routing to this head is refused until one is set.',
  },
  ru: {
    departments: 'Отделы', code: 'Код', name: 'Название', head: 'Руководитель', noHead: 'нет руководителя', members: 'Сотрудники', add: 'Новый отдел', edit: 'Изменить: {name}', create: 'Новый отдел',
    codeHint: 'строчными, используется в правилах маршрутизации (напр. wholesale_sales)', loading: 'Загрузка…', empty: 'Отделов пока нет.', headMissing: 'Пока руководитель не назначен, маршрутизация к нему невозможна.',
  },
});

export function DepartmentsTab(props: { selected: number | 'new' | null; onSelect: (id: number | 'new' | null) => void }): preact.JSX.Element {
  const t = useT();
  const departments = useAsync(() => api.get<Department[]>('/api/departments?limit=1000'), []);
  const staff = useAsync(() => api.get<StaffRef[]>('/api/staff?limit=1000'), []);
  const name = (id: number | null): string | null => (id === null ? null : staff.data?.find((s) => s.id === id)?.fullName ?? `#${id}`);
  const editing = props.selected === 'new' ? null : (departments.data ?? []).find((d) => d.id === props.selected) ?? null;
  return (
    <section class="stack" aria-label={t('departments')}>
      <div class="toolbar"><span class="grow" /><button type="button" class="primary" onClick={() => props.onSelect('new')}>{t('add')}</button></div>
      <ErrorBanner error={departments.error ?? staff.error} />
      <div class="table-wrap">
        <table>
          <thead><tr><th>{t('name')}</th><th>{t('code')}</th><th>{t('head')}</th><th class="num">{t('members')}</th></tr></thead>
          <tbody>
            {departments.loading && !departments.data && <tr><td colSpan={4} class="muted">{t('loading')}</td></tr>}
            {departments.data?.length === 0 && <tr><td colSpan={4} class="muted">{t('empty')}</td></tr>}
            {(departments.data ?? []).map((d) => (
              <tr key={d.id} class={`clickable ${props.selected === d.id ? 'selected' : ''}`} onClick={() => props.onSelect(d.id)}>
                <td><button type="button" class="link" onClick={(e) => { e.stopPropagation(); props.onSelect(d.id); }}>{d.name}</button></td>
                <td><code>{d.code}</code></td>
                <td>{name(d.headStaffId) ?? <span class="badge bad">{t('noHead')}</span>}</td>
                <td class="num">{(staff.data ?? []).filter((s) => s.departmentId === d.id && s.active).length}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {props.selected !== null && (props.selected === 'new' || editing) && (
        <DepartmentForm key={String(props.selected)} record={editing} staff={staff.data ?? []} onClose={() => props.onSelect(null)}
          onSaved={(saved) => { departments.reload(); props.onSelect(saved.id); }} />
      )}
    </section>
  );
}

function DepartmentForm(props: { record: Department | null; staff: StaffRef[]; onClose: () => void; onSaved: (d: Department) => void }): preact.JSX.Element {
  const t = useT();
  const r = props.record;
  const [code, setCode] = useState(r?.code ?? '');
  const [name, setName] = useState(r?.name ?? '');
  const [head, setHead] = useState(r?.headStaffId ? String(r.headStaffId) : '');
  const save = useSave<Department>('/api/departments', r?.id ?? null);
  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const changes = changedFields(r, { code: code.trim(), name: name.trim(), headStaffId: head ? Number(head) : null });
    if (r && Object.keys(changes).length === 0) return props.onClose();
    const saved = await save.submit(changes);
    if (saved) props.onSaved(saved);
  };
  return (
    <Drawer title={r ? t('edit', { name: r.name }) : t('create')} onClose={props.onClose}>
      <form class="stack" onSubmit={(e) => void submit(e)}>
        <TextField label={t('name')} value={name} onInput={setName} error={save.fields.name} required />
        <TextField label={t('code')} value={code} onInput={setCode} hint={t('codeHint')} error={save.fields.code} required />
        <SelectField label={t('head')} value={head} error={save.fields.headStaffId}
          options={[{ value: '', label: t('noHead') }, ...props.staff.filter((s) => s.active).map((s) => ({ value: String(s.id), label: s.fullName }))]} onChange={setHead} />
        {!head && <p class="banner warn">{t('headMissing')}</p>}
        <FormFooter state={save} creating={!r} onCancel={props.onClose} />
      </form>
    </Drawer>
  );
}
