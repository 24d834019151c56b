import { useEffect, useState } from 'preact/hooks';
import { api, type ApiError } from '../../../shared/api-client';
import { ErrorBanner } from '../../../shared/components';
import { asApiError, useAsync } from '../../../shared/hooks';
import { formatMoney, translator } from '../../../shared/i18n';
import { CheckboxField, Field, NumberField, SelectField, TextField } from '../shared/form-controls';
import { Drawer, FormFooter, changedFields, useSave } from './directory-shared';
import { ClientTimeZone } from './client-time-zone';
import type { ImportReport, LookupEntry } from '../../../../api/schemas/directory-schemas';
import type { ClientRecord, StaffRecord } from '../../../../directory/directory-records';

const useT = translator({
  en: {
    clients: 'Clients', search: 'Search by name or phone (any format)', searchButton: 'Search', name: 'Name', type: 'Type', manager: 'Manager', region: 'Region', phones: 'Phones',
    debt: 'Debt', lastOrder: 'Last order', add: 'New client', edit: 'Edit {name}', create: 'New client', language: 'Language', overdue: 'Overdue debt', limit: 'Credit limit',
    balance: 'Balance', notes: 'Notes', noManager: 'no manager', ok: 'orders allowed', overdueBadge: 'overdue', overLimit: 'over limit', empty: 'No client matches.', loading: 'Loading…',
    phone: 'Phone {n}', phoneLabel: 'Label {n}', addPhone: 'Add phone', removePhone: 'Remove phone {n}', override: 'Routing override (JSON target, empty = none)', overrideBad: 'Not valid JSON: {message}',
    import: 'Import clients from CSV', file: 'CSV file', encoding: 'Encoding', auto: 'detect', dryRun: 'Check only (write nothing)', run: 'Import', running: 'Importing…',
    report: 'Import report', imported: 'imported', failed: 'failed', line: 'Line', problem: 'Problem', allGood: 'Every line was imported.', checked: 'Checked only: nothing was written.',
    csvHelp: 'Header: name,type,phones,manager,region,language,overdue_debt,credit_limit,balance,last_order_at,notes. Several phones in one cell: separate them with | , or ;.',
    chooseFile: 'Choose a CSV file first.', results: '{n} client(s)',
  },
  ru: {
    clients: 'Клиенты', search: 'Поиск по названию или телефону (в любом формате)', searchButton: 'Найти', name: 'Название', type: 'Тип', manager: 'Менеджер', region: 'Регион', phones: 'Телефоны',
    debt: 'Долг', lastOrder: 'Последний заказ', add: 'Новый клиент', edit: 'Изменить: {name}', create: 'Новый клиент', language: 'Язык', overdue: 'Просроченный долг', limit: 'Кредитный лимит',
    balance: 'Баланс', notes: 'Заметки', noManager: 'без менеджера', ok: 'заказы разрешены', overdueBadge: 'просрочка', overLimit: 'сверх лимита', empty: 'Клиенты не найдены.', loading: 'Загрузка…',
    phone: 'Телефон {n}', phoneLabel: 'Подпись {n}', addPhone: 'Добавить телефон', removePhone: 'Убрать телефон {n}', override: 'Персональная маршрутизация (JSON, пусто = нет)', overrideBad: 'Некорректный JSON: {message}',
    import: 'Импорт клиентов из CSV', file: 'CSV-файл', encoding: 'Кодировка', auto: 'определить', dryRun: 'Только проверить (ничего не записывать)', run: 'Импортировать', running: 'Импорт…',
    report: 'Отчёт об импорте', imported: 'импортировано', failed: 'с ошибками', line: 'Строка', problem: 'Ошибка', allGood: 'Все строки импортированы.', checked: 'Только проверка: ничего не записано.',
    csvHelp: 'Заголовок: name,type,phones,manager,region,language,overdue_debt,credit_limit,balance,last_order_at,notes. Несколько телефонов в ячейке разделяйте | , или ;.',
    chooseFile: 'Сначала выберите CSV-файл.', results: 'Клиентов: {n}',
  },
});

/** What the tab reads of a staff member: the manager's name. */
type Named = Pick<StaffRecord, 'id' | 'fullName'>;
/** What the tab reads of a client type: its label. */
type ClientType = Pick<LookupEntry, 'code' | 'label'>;

/** Reads like a phone number: mostly digits, maybe +, spaces, dashes, brackets, dots. */
const looksLikePhone = (text: string): boolean => /^[+()\d\s.\-/]+$/.test(text) && (text.match(/\d/g) ?? []).length >= 3;

export function ClientsTab(props: { selected: number | 'new' | null; onSelect: (id: number | 'new' | null) => void }): preact.JSX.Element {
  const t = useT();
  const [input, setInput] = useState('');
  const [query, setQuery] = useState('');
  const clients = useAsync(() => {
    const q = query.trim();
    const param = !q ? '' : looksLikePhone(q) ? `&phone=${encodeURIComponent(q)}` : `&q=${encodeURIComponent(q)}`;
    return api.get<ClientRecord[]>(`/api/clients?limit=200${param}`);
  }, [query]);
  const staff = useAsync(() => api.get<Named[]>('/api/staff?limit=1000'), []);
  const types = useAsync(() => api.get<ClientType[]>('/api/client-types'), []);
  const [opened, setOpened] = useState<ClientRecord | null>(null);
  const [openError, setOpenError] = useState<ApiError | null>(null);
  const managerName = (id: number | null): string => (id === null ? t('noManager') : staff.data?.find((s) => s.id === id)?.fullName ?? `#${id}`);

  // A client opened by link (#/directory/clients/12) may not be in the current search results.
  useEffect(() => {
    if (typeof props.selected !== 'number') { setOpened(null); return; }
    const inList = clients.data?.find((c) => c.id === props.selected);
    if (inList) { setOpened(inList); return; }
    api.get<ClientRecord>(`/api/clients/${props.selected}`).then(setOpened, (err: unknown) => setOpenError(asApiError(err)));
  }, [props.selected, clients.data]);

  return (
    <section class="stack" aria-label={t('clients')}>
      <form class="toolbar" role="search" onSubmit={(e) => { e.preventDefault(); setQuery(input); }}>
        <input type="search" aria-label={t('search')} placeholder={t('search')} value={input} onInput={(e) => setInput(e.currentTarget.value)} />
        <button type="submit">{t('searchButton')}</button>
        <span class="grow muted">{clients.data ? t('results', { n: clients.data.length }) : ''}</span>
        <button type="button" class="primary" onClick={() => props.onSelect('new')}>{t('add')}</button>
      </form>
      <ErrorBanner error={clients.error ?? staff.error ?? types.error ?? openError} onDismiss={() => setOpenError(null)} />
      <div class="table-wrap">
        <table aria-label={t('clients')}>
          <thead><tr><th>{t('name')}</th><th>{t('type')}</th><th>{t('manager')}</th><th>{t('region')}</th><th>{t('phones')}</th><th>{t('debt')}</th><th>{t('lastOrder')}</th></tr></thead>
          <tbody>
            {clients.loading && <tr><td colSpan={7} class="muted">{t('loading')}</td></tr>}
            {!clients.loading && clients.data?.length === 0 && <tr><td colSpan={7} class="muted">{t('empty')}</td></tr>}
            {!clients.loading && (clients.data ?? []).map((c) => (
              <tr key={c.id} class={`clickable ${props.selected === c.id ? 'selected' : ''}`} onClick={() => props.onSelect(c.id)}>
                <td><button type="button" class="link" onClick={(e) => { e.stopPropagation(); props.onSelect(c.id); }}>{c.name}</button></td>
                <td><span class="badge">{types.data?.find((x) => x.code === c.type)?.label ?? c.type}</span></td>
                <td>{managerName(c.managerId)}</td>
                <td>{c.region ?? '—'}</td>
                <td>{c.phones.map((p) => <div key={p.number}><code>{p.number}</code>{p.label ? <span class="muted"> {p.label}</span> : null}</div>)}</td>
                <td>
                  {c.debt.overdue && <span class="badge bad">{t('overdueBadge')} {formatMoney(c.overdueDebt)}</span>}
                  {c.debt.overLimit && <> <span class="badge bad">{t('overLimit')}</span></>}
                  {c.debt.ordersAllowed && <span class="badge ok">{t('ok')}</span>}
                </td>
                <td>{c.lastOrderAt ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <CsvImport onImported={() => clients.reload()} />
      {(props.selected === 'new' || (opened && props.selected === opened.id)) && (
        <ClientForm key={String(props.selected)} record={props.selected === 'new' ? null : opened} staff={staff.data ?? []} types={types.data ?? []}
          onClose={() => props.onSelect(null)} onSaved={(saved) => { clients.reload(); props.onSelect(saved.id); }} />
      )}
    </section>
  );
}

function ClientForm(props: { record: ClientRecord | null; staff: Named[]; types: ClientType[]; onClose: () => void; onSaved: (c: ClientRecord) => void }): preact.JSX.Element {
  const t = useT();
  const r = props.record;
  const [name, setName] = useState(r?.name ?? '');
  const [type, setType] = useState(r?.type ?? props.types[0]?.code ?? 'market');
  const [managerId, setManagerId] = useState(r?.managerId ? String(r.managerId) : '');
  const [region, setRegion] = useState(r?.region ?? '');
  const [language, setLanguage] = useState(r?.language ?? 'ru');
  const [overdueDebt, setOverdueDebt] = useState<number | undefined>(r?.overdueDebt ?? 0);
  const [creditLimit, setCreditLimit] = useState<number | undefined>(r?.creditLimit ?? 0);
  const [balance, setBalance] = useState<number | undefined>(r?.balance ?? 0);
  const [lastOrderAt, setLastOrderAt] = useState(r?.lastOrderAt ?? '');
  const [notes, setNotes] = useState(r?.notes ?? '');
  const [phones, setPhones] = useState<ClientRecord['phones']>(r?.phones ?? [{ number: '', label: '' }]);
  const [override, setOverride] = useState(r?.routingOverride ? JSON.stringify(r.routingOverride, null, 1) : '');
  const [overrideError, setOverrideError] = useState<string | null>(null);
  const save = useSave<ClientRecord>('/api/clients', r?.id ?? null);

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    let routingOverride: unknown = null;
    try {
      routingOverride = override.trim() ? JSON.parse(override) : null;
      setOverrideError(null);
    } catch (err) {
      setOverrideError(t('overrideBad', { message: err instanceof Error ? err.message : String(err) }));
      return;
    }
    const body: Record<string, unknown> = {
      name: name.trim(), type, managerId: managerId ? Number(managerId) : null, region: region.trim() || null, language, overdueDebt: overdueDebt ?? 0,
      creditLimit: creditLimit ?? 0, balance: balance ?? 0, lastOrderAt: lastOrderAt || null, notes,
      phones: phones.filter((p) => p.number.trim()).map((p) => (p.label.trim() ? { number: p.number.trim(), label: p.label.trim() } : p.number.trim())), routingOverride,
    };
    const before = r ? { ...r, phones: r.phones.map((p) => (p.label ? { number: p.number, label: p.label } : p.number)) } : null;
    const changes = changedFields(before, body);
    if (r && Object.keys(changes).length === 0) return props.onClose();
    const saved = await save.submit(changes);
    if (saved) props.onSaved(saved);
  };
  const phoneError = (i: number): string | undefined => save.fields.phones && (save.error?.details.some((d) => d.path?.includes(`/phones/${i}`)) ?? false) ? save.fields.phones : undefined;

  return (
    <Drawer title={r ? t('edit', { name: r.name }) : t('create')} onClose={props.onClose}>
      <form class="stack" onSubmit={(e) => void submit(e)}>
        <TextField label={t('name')} value={name} onInput={setName} error={save.fields.name} required />
        <div class="grid-2">
          <SelectField label={t('type')} value={type} options={props.types.map((x) => ({ value: x.code, label: x.label }))} onChange={setType} error={save.fields.type} />
          <SelectField label={t('manager')} value={managerId} options={[{ value: '', label: t('noManager') }, ...props.staff.map((s) => ({ value: String(s.id), label: s.fullName }))]}
            onChange={setManagerId} error={save.fields.managerId} />
          <TextField label={t('region')} value={region} onInput={setRegion} error={save.fields.region} />
          <TextField label={t('language')} value={language} onInput={setLanguage} error={save.fields.language} />
        </div>
        <fieldset>
          <legend>{t('phones')}</legend>
          {phones.map((p, i) => (
            <div class="row" key={i}>
              <TextField label={t('phone', { n: i + 1 })} type="tel" value={p.number} class="grow" error={phoneError(i)} onInput={(v) => setPhones(phones.map((x, j) => (j === i ? { ...x, number: v } : x)))} />
              <TextField label={t('phoneLabel', { n: i + 1 })} value={p.label} onInput={(v) => setPhones(phones.map((x, j) => (j === i ? { ...x, label: v } : x)))} />
              <button type="button" class="link" aria-label={t('removePhone', { n: i + 1 })} onClick={() => setPhones(phones.filter((_, j) => j !== i))}>✕</button>
            </div>
          ))}
          {save.fields.phones && !phones.some((_, i) => phoneError(i)) && <small class="field-error" role="alert">{save.fields.phones}</small>}
          <button type="button" onClick={() => setPhones([...phones, { number: '', label: '' }])}>{t('addPhone')}</button>
        </fieldset>
        <div class="grid-3">
          <NumberField label={t('overdue')} min={0} step={0.01} value={overdueDebt} onInput={setOverdueDebt} error={save.fields.overdueDebt} />
          <NumberField label={t('limit')} min={0} step={0.01} value={creditLimit} onInput={setCreditLimit} error={save.fields.creditLimit} />
          <NumberField label={t('balance')} step={0.01} value={balance} onInput={setBalance} error={save.fields.balance} />
        </div>
        <TextField label={t('lastOrder')} type="date" value={lastOrderAt} onInput={setLastOrderAt} error={save.fields.lastOrderAt} />
        <Field label={t('notes')} error={save.fields.notes}>{(a11y) => <textarea {...a11y} rows={3} value={notes} onInput={(e) => setNotes(e.currentTarget.value)} />}</Field>
        <Field label={t('override')} error={overrideError ?? save.fields.routingOverride}>
          {(a11y) => <textarea {...a11y} class="json" style={{ minHeight: '70px' }} rows={3} value={override} onInput={(e) => setOverride(e.currentTarget.value)} />}
        </Field>
        <FormFooter state={save} creating={!r} onCancel={props.onClose} />
      </form>
      {r && <ClientTimeZone clientId={r.id} />}
    </Drawer>
  );
}

function CsvImport(props: { onImported: () => void }): preact.JSX.Element {
  const t = useT();
  const [file, setFile] = useState<File | null>(null);
  const [encoding, setEncoding] = useState('');
  const [dryRun, setDryRun] = useState(false);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<(ImportReport & { dryRun: boolean }) | null>(null);
  const [error, setError] = useState<ApiError | string | null>(null);
  const run = async (event: Event): Promise<void> => {
    event.preventDefault();
    if (!file) { setError(t('chooseFile')); return; }
    setBusy(true);
    setError(null);
    try {
      const query = new URLSearchParams({ ...(encoding ? { encoding } : {}), ...(dryRun ? { dryRun: 'true' } : {}) }).toString();
      const result = await api.upload<ImportReport>('POST', `/api/clients/import${query ? `?${query}` : ''}`, file, 'text/csv');
      setReport({ ...result, dryRun });
      if (!dryRun && result.imported > 0) props.onImported();
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card stack" aria-label={t('import')} onSubmit={(e) => void run(e)}>
      <h2>{t('import')}</h2>
      <p class="muted">{t('csvHelp')}</p>
      <div class="toolbar">
        <label>{t('file')}<input type="file" accept=".csv,text/csv" onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} /></label>
        <label>{t('encoding')}
          <select value={encoding} onChange={(e) => setEncoding(e.currentTarget.value)}>
            <option value="">{t('auto')}</option>
            {['utf-8', 'windows-1251', 'windows-1250', 'iso-8859-2', 'utf-16le'].map((e) => <option key={e} value={e}>{e}</option>)}
          </select>
        </label>
        <CheckboxField label={t('dryRun')} checked={dryRun} onChange={setDryRun} />
        <button type="submit" class="primary" disabled={busy}>{busy ? t('running') : t('run')}</button>
      </div>
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
      {report && (
        <section class="stack import-report" aria-label={t('report')}>
          <div class="counts">
            <div><strong>{report.imported}</strong> {t('imported')}</div>
            <div class={report.failed > 0 ? 'error' : ''}><strong>{report.failed}</strong> {t('failed')}</div>
          </div>
          {report.dryRun && <p class="muted">{t('checked')}</p>}
          {report.errors.length === 0 ? <p>{t('allGood')}</p> : (
            <table>
              <thead><tr><th class="num">{t('line')}</th><th>{t('problem')}</th></tr></thead>
              <tbody>{report.errors.map((e, i) => <tr key={i}><td class="num line">{e.line ?? '—'}</td><td>{e.message}</td></tr>)}</tbody>
            </table>
          )}
        </section>
      )}
    </form>
  );
}
