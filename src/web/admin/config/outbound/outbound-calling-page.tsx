import { useState } from 'preact/hooks';
import { api, type ApiError } from '../../../shared/api-client';
import { ErrorBanner } from '../../../shared/components';
import { asApiError, useAsync } from '../../../shared/hooks';
import { translator } from '../../../shared/i18n';
import type { AdminPageProps } from '../../pages';
import { fieldErrors } from '../shared/field-errors';
import { SelectField, TextField } from '../shared/form-controls';

const useT = translator({
  en: {
    title: 'Outbound calling', trunks: 'Trunks: caller ID', noTrunks: 'No trunk is configured for outbound calls (SIP_TRUNKS).',
    unidentified: 'Calls go out as switchboard@switchboard.invalid until a number is set.',
    fromNumber: 'Number shown (From)', displayName: 'Display name', assertedNumber: 'Asserted number (P-Asserted-Identity)', assertedHint: 'empty: the number shown',
    privacy: 'Privacy', privacyNone: 'Show the number (Privacy: none)', privacyId: 'Withhold it: anonymous From, number in PAI only (Privacy: id)',
    save: 'Save', saving: 'Saving…', remove: 'Remove', saved: 'Saved caller ID of {trunk}.',
    dnc: 'Do-not-call list', dncHint: 'Campaign calls and callbacks never dial these numbers.', numbers: 'Numbers (one per line, or a pasted list)', reason: 'Reason',
    add: 'Add to the list', added: '{n} number(s) added.', search: 'Search', number: 'Number', addedBy: 'Added by', addedAt: 'Added', empty: 'The list is empty.',
    total: '{n} number(s) on the list', takeOff: 'Take off', loading: 'Loading…',
  },
  ru: {
    title: 'Исходящие звонки', trunks: 'Транки: номер звонящего', noTrunks: 'Для исходящих звонков не настроен ни один транк (SIP_TRUNKS).',
    unidentified: 'Пока номер не задан, звонки уходят как switchboard@switchboard.invalid.',
    fromNumber: 'Показываемый номер (From)', displayName: 'Имя', assertedNumber: 'Подтверждаемый номер (P-Asserted-Identity)', assertedHint: 'пусто: показываемый номер',
    privacy: 'Скрытие номера', privacyNone: 'Показывать номер (Privacy: none)', privacyId: 'Скрывать: анонимный From, номер только в PAI (Privacy: id)',
    save: 'Сохранить', saving: 'Сохранение…', remove: 'Удалить', saved: 'Номер транка {trunk} сохранён.',
    dnc: 'Список «не звонить»', dncHint: 'Обзвоны и обратные звонки никогда не набирают эти номера.', numbers: 'Номера (по одному в строке или вставленный список)', reason: 'Причина',
    add: 'Добавить в список', added: 'Добавлено номеров: {n}.', search: 'Поиск', number: 'Номер', addedBy: 'Кто добавил', addedAt: 'Когда', empty: 'Список пуст.',
    total: 'Номеров в списке: {n}', takeOff: 'Убрать', loading: 'Загрузка…',
  },
});

type Privacy = 'none' | 'id';
interface TrunkIdentity { fromNumber: string; displayName: string | null; assertedNumber: string | null; privacy: Privacy }
interface TrunkView { trunk: string; identity: TrunkIdentity | null }
interface DoNotCallRow { e164: string; reason: string; addedByName: string | null; addedAt: string }

/** #/outbound: each trunk's caller ID (admins) and the do-not-call list (supervisors and admins). */
export function OutboundCallingPage(props: AdminPageProps): preact.JSX.Element {
  const t = useT();
  return (
    <div class="stack config-page outbound-page">
      <div class="row page-head"><h1 class="grow">{t('title')}</h1></div>
      {props.user.role === 'admin' && <TrunksSection />}
      <DoNotCallSection />
    </div>
  );
}

function TrunksSection(): preact.JSX.Element {
  const t = useT();
  const trunks = useAsync(() => api.get<TrunkView[]>('/api/trunks'), []);
  return (
    <section class="stack" aria-label={t('trunks')}>
      <h2>{t('trunks')}</h2>
      <ErrorBanner error={trunks.error} />
      {trunks.data?.length === 0 && <p class="muted">{t('noTrunks')}</p>}
      {(trunks.data ?? []).map((view) => <TrunkForm key={view.trunk} view={view} onChanged={trunks.reload} />)}
    </section>
  );
}

function TrunkForm(props: { view: TrunkView; onChanged: () => void }): preact.JSX.Element {
  const t = useT();
  const identity = props.view.identity;
  const [fromNumber, setFromNumber] = useState(identity?.fromNumber ?? '');
  const [displayName, setDisplayName] = useState(identity?.displayName ?? '');
  const [assertedNumber, setAssertedNumber] = useState(identity?.assertedNumber ?? '');
  const [privacy, setPrivacy] = useState<Privacy>(identity?.privacy ?? 'none');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const path = `/api/trunks/${props.view.trunk}/caller-id`;
  const run = async (action: () => Promise<unknown>, message: string | null): Promise<void> => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      await action();
      setDone(message);
      props.onChanged();
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };
  const submit = (event: Event): void => {
    event.preventDefault();
    void run(() => api.put(path, { fromNumber, displayName: displayName.trim() || null, assertedNumber: assertedNumber.trim() || null, privacy }), t('saved', { trunk: props.view.trunk }));
  };
  const fields = fieldErrors(error);
  return (
    <form class="card stack" aria-label={props.view.trunk} onSubmit={submit}>
      <h3><code>{props.view.trunk}</code></h3>
      {!identity && <p class="muted">{t('unidentified')}</p>}
      <div class="grid-2">
        <TextField label={t('fromNumber')} type="tel" value={fromNumber} onInput={setFromNumber} error={fields.fromNumber} required />
        <TextField label={t('displayName')} value={displayName} onInput={setDisplayName} error={fields.displayName} />
        <TextField label={t('assertedNumber')} type="tel" value={assertedNumber} onInput={setAssertedNumber} hint={t('assertedHint')} error={fields.assertedNumber} />
        <SelectField label={t('privacy')} value={privacy} onChange={setPrivacy} options={[{ value: 'none', label: t('privacyNone') }, { value: 'id', label: t('privacyId') }]} />
      </div>
      <ErrorBanner error={error} />
      {done && <p role="status" class="muted">{done}</p>}
      <div class="row">
        <button type="submit" class="primary" disabled={busy}>{busy ? t('saving') : t('save')}</button>
        {identity && <button type="button" disabled={busy} onClick={() => void run(() => api.delete(path), null)}>{t('remove')}</button>}
      </div>
    </form>
  );
}

function DoNotCallSection(): preact.JSX.Element {
  const t = useT();
  const [search, setSearch] = useState('');
  const list = useAsync(() => api.get<{ items: DoNotCallRow[]; total: number }>(`/api/do-not-call?limit=100${search.trim() ? `&search=${encodeURIComponent(search.trim())}` : ''}`), [search]);
  const [numbers, setNumbers] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const add = async (event: Event): Promise<void> => {
    event.preventDefault();
    setError(null);
    setDone(null);
    try {
      const typed = numbers.split(/[\n,;]+/).map((n) => n.trim()).filter((n) => n !== '');
      const result = await api.post<{ added: number }>('/api/do-not-call', { numbers: typed, reason });
      setDone(t('added', { n: String(result.added) }));
      setNumbers('');
      list.reload();
    } catch (err) {
      setError(asApiError(err));
    }
  };
  const takeOff = async (e164: string): Promise<void> => {
    try {
      await api.delete(`/api/do-not-call/${encodeURIComponent(e164)}`);
      list.reload();
    } catch (err) {
      setError(asApiError(err));
    }
  };
  const fields = fieldErrors(error);
  return (
    <section class="stack" aria-label={t('dnc')}>
      <h2>{t('dnc')}</h2>
      <p class="muted">{t('dncHint')}</p>
      <form class="card stack" aria-label={t('add')} onSubmit={(e) => void add(e)}>
        <label class="field">{t('numbers')}
          <textarea rows={3} value={numbers} onInput={(e) => setNumbers(e.currentTarget.value)} required />
        </label>
        {fields.numbers && <small class="field-error" role="alert">{fields.numbers}</small>}
        <TextField label={t('reason')} value={reason} onInput={setReason} error={fields.reason} required />
        <ErrorBanner error={error} />
        {done && <p role="status" class="muted">{done}</p>}
        <div class="row"><button type="submit" class="primary">{t('add')}</button></div>
      </form>
      <TextField label={t('search')} type="search" value={search} onInput={setSearch} />
      <ErrorBanner error={list.error} />
      {list.data && <p class="muted">{t('total', { n: String(list.data.total) })}</p>}
      <div class="table-wrap">
        <table aria-label={t('dnc')}>
          <thead><tr><th>{t('number')}</th><th>{t('reason')}</th><th>{t('addedBy')}</th><th>{t('addedAt')}</th><th /></tr></thead>
          <tbody>
            {list.loading && !list.data && <tr><td colSpan={5} class="muted">{t('loading')}</td></tr>}
            {list.data?.items.length === 0 && <tr><td colSpan={5} class="muted">{t('empty')}</td></tr>}
            {(list.data?.items ?? []).map((row) => (
              <tr key={row.e164}>
                <td><code>{row.e164}</code></td><td>{row.reason}</td><td>{row.addedByName ?? '—'}</td><td>{new Date(row.addedAt).toLocaleString()}</td>
                <td><button type="button" onClick={() => void takeOff(row.e164)}>{t('takeOff')}</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
