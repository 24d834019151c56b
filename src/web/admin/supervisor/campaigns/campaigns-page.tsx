import { useState } from 'preact/hooks';
import { api, type ApiError } from '../../../shared/api-client';
import { ErrorBanner } from '../../../shared/components';
import { navigate } from '../../../shared/hash-route';
import { asApiError, useAsync } from '../../../shared/hooks';
import { formatDateTime, translator } from '../../../shared/i18n';
import type { AdminPageProps } from '../../pages';
import { HorizontalBars } from '../charts';
import { localDateString, useLabel } from '../supervisor-labels';
import type {
  CampaignAssigned as AssignOutcome, CampaignCreated, CampaignDetail, CampaignSummary, DormantList,
} from '../../../../api/schemas/campaign-schemas';
import type { CampaignCallStatus, CampaignStatus } from '../../../../campaigns/campaign-status';
import { everyMember } from '../../../shared/every-member';

/** A campaign call's statuses in the order the page shows them (src/campaigns/campaign-status.ts). */
const CAMPAIGN_CALL_STATUS_CODES = everyMember<CampaignCallStatus>()(['pending', 'no_answer', 'done', 'failed', 'skipped']);

/**
 * The moves a supervisor may make from each status: a copy of the server's
 * CAMPAIGN_TRANSITIONS (which refuses any other with 409), typed by its statuses.
 */
const CAMPAIGN_MOVES: Readonly<Record<CampaignStatus, readonly CampaignStatus[]>> = {
  draft: ['active', 'done'],
  active: ['draft', 'done'],
  done: [],
};

const useT = translator({
  en: {
    title: 'Campaigns', dormant: 'Dormant clients', months: 'No order for, months', clientType: 'Client type', show: 'Show list', loading: 'Loading…',
    client: 'Client', phone: 'Phone', manager: 'Manager', region: 'Region', lastOrder: 'Last order', daysIdle: 'Days idle', onCampaign: 'On campaign',
    never: 'never', noDormant: 'No dormant clients for these criteria.', found: '{n} clients with no order since {cutoff}',
    create: 'Create campaign from this list', name: 'Campaign name', creating: 'Creating…', campaigns: 'All campaigns', noCampaigns: 'No campaigns yet.',
    status: 'Status', created: 'Created', total: 'Calls', progress: 'Progress', open: 'Open campaign {name}', back: '← All campaigns',
    assign: 'Assign calls to operators', operators: 'Operators', assignButton: 'Assign {n} unassigned calls', assigned: '{n} calls assigned.',
    selectOperators: 'Choose at least one operator.', unassigned: 'Unassigned', perOperator: 'Progress per operator', calls: 'Calls and results',
    operator: 'Operator', result: 'Result', notes: 'Notes', attempted: 'Attempted', completion: '{percent} % complete',
    'move.active': 'Start campaign', 'move.draft': 'Pause', 'move.done': 'Finish', byStatus: 'Calls by status', nobody: '—',
    defaultName: 'Dormant {type} clients — {date}', criteria: 'List: {type}, no order for {months} months', listed: 'Created with {n} clients.',
    skippedOpen: '{n} clients were left out: they are already on an open campaign.', selectAll: 'Select all', openCall: 'open call', allAssigned: 'Every call is assigned',
  },
  ru: {
    title: 'Кампании', dormant: 'Спящие клиенты', months: 'Без заказа, месяцев', clientType: 'Тип клиента', show: 'Показать список', loading: 'Загрузка…',
    client: 'Клиент', phone: 'Телефон', manager: 'Менеджер', region: 'Регион', lastOrder: 'Последний заказ', daysIdle: 'Дней без заказа', onCampaign: 'В кампании',
    never: 'никогда', noDormant: 'Спящих клиентов по этим условиям нет.', found: '{n} клиентов без заказа с {cutoff}',
    create: 'Создать кампанию по списку', name: 'Название кампании', creating: 'Создание…', campaigns: 'Все кампании', noCampaigns: 'Кампаний пока нет.',
    status: 'Статус', created: 'Создана', total: 'Звонков', progress: 'Ход', open: 'Открыть кампанию {name}', back: '← Все кампании',
    assign: 'Распределить звонки между операторами', operators: 'Операторы', assignButton: 'Распределить {n} звонков', assigned: 'Распределено звонков: {n}.',
    selectOperators: 'Выберите хотя бы одного оператора.', unassigned: 'Не распределено', perOperator: 'Ход по операторам', calls: 'Звонки и результаты',
    operator: 'Оператор', result: 'Результат', notes: 'Заметки', attempted: 'Попытка', completion: 'выполнено {percent} %',
    'move.active': 'Запустить', 'move.draft': 'Приостановить', 'move.done': 'Завершить', byStatus: 'Звонки по статусам', nobody: '—',
    defaultName: 'Спящие клиенты ({type}) — {date}', criteria: 'Список: {type}, без заказа {months} мес.', listed: 'Создана, клиентов: {n}.',
    skippedOpen: 'Не вошли {n} клиентов: они уже в открытой кампании.', selectAll: 'Выбрать всех', openCall: 'открыть звонок', allAssigned: 'Все звонки распределены',
  },
});
type T = ReturnType<typeof useT>;

interface Code { code: string; label: string }
interface StaffRef { id: number; fullName: string; role: string; active: boolean }

/** A criteria value as text: the server keeps them as plain JSON scalars. */
function criterion(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '—';
}

const STATUS_COLORS: Record<string, string> = {
  pending: 'var(--offline)', no_answer: 'var(--wrap)', done: 'var(--ok)', failed: 'var(--bad)', skipped: 'var(--not-ready)',
};

/** `#/campaigns` (dormant list, new campaign, all campaigns) and `#/campaigns/<id>` (assignment and progress). */
export function CampaignsPage(props: AdminPageProps): preact.JSX.Element {
  const id = Number(props.route.segments[1]);
  if (Number.isInteger(id) && id > 0) return <CampaignView id={id} query={props.route.query} />;
  return <CampaignsHome />;
}

function CampaignsHome(): preact.JSX.Element {
  const t = useT();
  const label = useLabel();
  const [months, setMonths] = useState(6);
  const [clientType, setClientType] = useState('market');
  const [criteria, setCriteria] = useState({ months: 6, clientType: 'market' });
  const [name, setName] = useState('');
  const [creating, setCreating] = useState(false);
  const [createError, setCreateError] = useState<ApiError | null>(null);
  const types = useAsync(() => api.get<Code[]>('/api/client-types'), []);
  const dormant = useAsync(() => api.get<DormantList>(`/api/campaigns/dormant-clients?months=${criteria.months}&clientType=${encodeURIComponent(criteria.clientType)}`), [criteria.months, criteria.clientType]);
  const campaigns = useAsync(() => api.get<CampaignSummary[]>('/api/campaigns'), []);
  const typeLabel = (types.data ?? []).find((c) => c.code === criteria.clientType)?.label ?? criteria.clientType;
  const suggestedName = t('defaultName', { type: typeLabel, date: localDateString(new Date()) });

  const create = async (e: Event): Promise<void> => {
    e.preventDefault();
    setCreating(true);
    try {
      const created = await api.post<CampaignCreated>('/api/campaigns', { name: name.trim() || suggestedName, months: criteria.months, clientType: criteria.clientType });
      // The new campaign's page says how many clients it took and how many were already on another list.
      navigate(`campaigns/${created.id}?listed=${created.progress.total}&skipped=${created.alreadyInOpenCampaigns}`);
    } catch (err) {
      setCreateError(asApiError(err));
    } finally {
      setCreating(false);
    }
  };

  const list = dormant.data;
  return (
    <div class="stack campaigns">
      <h1>{t('title')}</h1>
      <section class="card stack" aria-label={t('dormant')}>
        <h2>{t('dormant')}</h2>
        <form class="row filters" onSubmit={(e) => { e.preventDefault(); setCriteria({ months, clientType }); }}>
          <label>{t('months')}<input type="number" min={1} max={120} value={months} onInput={(e) => setMonths(Number(e.currentTarget.value))} class="narrow" required /></label>
          <label>{t('clientType')}
            <select value={clientType} onChange={(e) => setClientType(e.currentTarget.value)}>
              {(types.data ?? [{ code: 'market', label: 'market' }]).map((c) => <option key={c.code} value={c.code}>{c.label}</option>)}
            </select>
          </label>
          <button type="submit">{t('show')}</button>
        </form>
        <ErrorBanner error={dormant.error ?? types.error} />
        {dormant.loading && !list && <p class="muted" role="status">{t('loading')}</p>}
        {list && (list.clients.length === 0 ? <p class="muted empty-state">{t('noDormant')}</p> : (
          <>
            <p><strong>{t('found', { n: list.count, cutoff: list.cutoff })}</strong></p>
            <div class="table-scroll dormant-scroll">
              <table aria-label={t('dormant')}>
                <thead><tr><th>{t('client')}</th><th>{t('phone')}</th><th>{t('manager')}</th><th>{t('region')}</th><th>{t('lastOrder')}</th><th class="num">{t('daysIdle')}</th><th>{t('onCampaign')}</th></tr></thead>
                <tbody>
                  {list.clients.map((c) => (
                    <tr key={c.clientId} data-client-id={c.clientId}>
                      <td>{c.name}</td><td class="nowrap">{c.phone ?? '—'}</td><td>{c.managerName ?? '—'}</td><td>{c.region ?? '—'}</td>
                      <td class="nowrap">{c.lastOrderAt ?? <span class="muted">{t('never')}</span>}</td><td class="num">{c.daysIdle}</td>
                      <td>{c.openCampaignId ? <a href={`#/campaigns/${c.openCampaignId}`}>#{c.openCampaignId}</a> : '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <form class="row" onSubmit={(e) => void create(e)} aria-label={t('create')}>
              <label class="grow">{t('name')}<input value={name} placeholder={suggestedName} maxLength={200} onInput={(e) => setName(e.currentTarget.value)} /></label>
              <button type="submit" class="primary" disabled={creating}>{creating ? t('creating') : t('create')}</button>
            </form>
          </>
        ))}
        <ErrorBanner error={createError} onDismiss={() => setCreateError(null)} />
      </section>
      <section class="card" aria-label={t('campaigns')}>
        <h2>{t('campaigns')}</h2>
        <ErrorBanner error={campaigns.error} />
        {campaigns.data && campaigns.data.length === 0 && <p class="muted empty-state">{t('noCampaigns')}</p>}
        {campaigns.data && campaigns.data.length > 0 && (
          <table>
            <thead><tr><th>{t('name')}</th><th>{t('status')}</th><th>{t('created')}</th><th class="num">{t('total')}</th><th>{t('progress')}</th></tr></thead>
            <tbody>
              {campaigns.data.map((c) => (
                <tr key={c.id} data-campaign-id={c.id}>
                  <td><a href={`#/campaigns/${c.id}`} aria-label={t('open', { name: c.name })}>{c.name}</a></td>
                  <td><span class={`badge campaign ${c.status}`}>{label('campaign', c.status)}</span></td>
                  <td>{formatDateTime(c.createdAt)} <span class="muted small">{c.createdBy}</span></td>
                  <td class="num">{c.progress.total}</td>
                  <td><ProgressBar campaign={c} t={t} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}

function ProgressBar(props: { campaign: CampaignSummary; t: T }): preact.JSX.Element {
  const p = props.campaign.progress;
  const total = Math.max(1, p.total);
  return (
    <div class="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={p.completionPercent} aria-label={props.t('completion', { percent: p.completionPercent })}>
      <div class="progress-track">
        {CAMPAIGN_CALL_STATUS_CODES.filter((s) => s !== 'pending').map((s) => (p.byStatus[s] > 0
          ? <span key={s} style={{ width: `${(p.byStatus[s] / total) * 100}%`, background: STATUS_COLORS[s] }} /> : null))}
      </div>
      <span class="small muted">{props.t('completion', { percent: p.completionPercent })}</span>
    </div>
  );
}

function createdNotice(query: URLSearchParams, t: T): string | null {
  const listed = query.get('listed');
  if (listed === null) return null;
  const skipped = Number(query.get('skipped') ?? 0);
  return `${t('listed', { n: listed })}${skipped > 0 ? ` ${t('skippedOpen', { n: skipped })}` : ''}`;
}

function CampaignView(props: { id: number; query: URLSearchParams }): preact.JSX.Element {
  const t = useT();
  const label = useLabel();
  const campaign = useAsync(() => api.get<CampaignDetail>(`/api/campaigns/${props.id}`), [props.id]);
  const staff = useAsync(() => api.get<StaffRef[]>('/api/staff?active=true&limit=1000'), []);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [notice, setNotice] = useState<string | null>(() => createdNotice(props.query, t));
  const [actionError, setActionError] = useState<ApiError | string | null>(null);
  const [override, setOverride] = useState<CampaignDetail | null>(null);
  const [busy, setBusy] = useState(false);
  const c = override ?? campaign.data;
  const operators = (staff.data ?? []).filter((s) => s.role === 'operator');

  const toggle = (id: number, on: boolean): void => setSelected((prev) => {
    const next = new Set(prev);
    if (on) next.add(id);
    else next.delete(id);
    return next;
  });
  const act = async (run: () => Promise<CampaignDetail>, message: (d: CampaignDetail) => string | null): Promise<void> => {
    setBusy(true);
    setActionError(null);
    try {
      const detail = await run();
      setOverride(detail);
      setNotice(message(detail));
    } catch (err) {
      setActionError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };
  const assign = (e: Event): void => {
    e.preventDefault();
    if (selected.size === 0) {
      setActionError(t('selectOperators'));
      return;
    }
    let count = 0;
    void act(async () => {
      const outcome = await api.post<AssignOutcome>(`/api/campaigns/${props.id}/assign`, { staffIds: [...selected] });
      count = outcome.assigned;
      return outcome.campaign;
    }, () => t('assigned', { n: count }));
  };
  const move = (status: CampaignStatus): void => {
    void act(() => api.patch<CampaignDetail>(`/api/campaigns/${props.id}`, { status }), () => null);
  };

  return (
    <div class="stack campaign-detail">
      <a href="#/campaigns">{t('back')}</a>
      <ErrorBanner error={campaign.error ?? staff.error} />
      {campaign.loading && !c && <p class="muted" role="status">{t('loading')}</p>}
      {c && (
        <>
          <div class="row">
            <h1 class="grow">{c.name}</h1>
            <span class={`badge campaign ${c.status}`} data-testid="campaign-status">{label('campaign', c.status)}</span>
            {CAMPAIGN_MOVES[c.status].map((to) => (
              <button key={to} type="button" class={to === 'active' ? 'primary' : to === 'done' ? 'danger' : ''} disabled={busy} onClick={() => move(to)}>{t(`move.${to}`)}</button>
            ))}
          </div>
          <p class="muted">
            {t('criteria', { type: criterion(c.criteria.clientType), months: criterion(c.criteria.months) })} · {formatDateTime(c.createdAt)} · {c.createdBy}
          </p>
          {notice && <div class="banner info" role="status">{notice}</div>}
          <ErrorBanner error={actionError} onDismiss={() => setActionError(null)} />
          <div class="detail-columns">
            <section class="card stack" aria-label={t('progress')}>
              <h2>{t('progress')}</h2>
              <ProgressBar campaign={c} t={t} />
              <HorizontalBars
                title={t('byStatus')}
                items={[
                  ...CAMPAIGN_CALL_STATUS_CODES.map((s) => ({ label: label('call', s), value: c.progress.byStatus[s], color: STATUS_COLORS[s] })),
                  { label: t('unassigned'), value: c.progress.unassigned, color: 'var(--muted)' },
                ]}
                format={(v) => String(v)}
                max={Math.max(1, c.progress.total)}
              />
            </section>
            {c.status !== 'done' && (
              <form class="card stack" onSubmit={assign} aria-label={t('assign')}>
                <h2>{t('assign')}</h2>
                <fieldset class="checklist">
                  <legend>{t('operators')}</legend>
                  <label class="inline sv-check">
                    <input type="checkbox" checked={operators.length > 0 && selected.size === operators.length}
                      onChange={(e) => setSelected(e.currentTarget.checked ? new Set(operators.map((o) => o.id)) : new Set())} />
                    <span>{t('selectAll')}</span>
                  </label>
                  {operators.map((o) => (
                    <label key={o.id} class="inline sv-check">
                      <input type="checkbox" checked={selected.has(o.id)} onChange={(e) => toggle(o.id, e.currentTarget.checked)} />
                      <span>{o.fullName}</span>
                    </label>
                  ))}
                </fieldset>
                <button type="submit" class="primary" disabled={busy || c.progress.unassigned === 0}>{c.progress.unassigned === 0 ? t('allAssigned') : t('assignButton', { n: c.progress.unassigned })}</button>
              </form>
            )}
          </div>
          <section class="card" aria-label={t('perOperator')}>
            <h2>{t('perOperator')}</h2>
            {c.perOperator.length === 0 ? <p class="muted">{t('nobody')}</p> : (
              <table>
                <thead><tr><th>{t('operator')}</th><th class="num">{t('total')}</th>{CAMPAIGN_CALL_STATUS_CODES.map((s) => <th key={s} class="num">{label('call', s)}</th>)}</tr></thead>
                <tbody>
                  {c.perOperator.map((o) => (
                    <tr key={o.staffId} data-staff-id={o.staffId}>
                      <td>{o.name}</td><td class="num" data-field="total">{o.total}</td>
                      {CAMPAIGN_CALL_STATUS_CODES.map((s) => <td key={s} class="num" data-field={s}>{o.byStatus[s]}</td>)}
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <section class="card table-card" aria-label={t('calls')}>
            <h2>{t('calls')}</h2>
            <div class="table-scroll">
              <table>
                <thead><tr><th>{t('client')}</th><th>{t('phone')}</th><th>{t('lastOrder')}</th><th>{t('operator')}</th><th>{t('status')}</th><th>{t('result')}</th><th>{t('notes')}</th><th>{t('attempted')}</th></tr></thead>
                <tbody>
                  {c.calls.map((call) => (
                    <tr key={call.id} data-client-id={call.clientId}>
                      <td>{call.clientName}</td><td class="nowrap">{call.phone ?? '—'}</td><td class="nowrap">{call.lastOrderAt ?? t('never')}</td>
                      <td>{call.assignedStaffName ?? <span class="muted">{t('unassigned')}</span>}</td>
                      <td><span class={`badge call-status ${call.status}`}>{label('call', call.status)}</span></td>
                      <td>{call.result ?? '—'}</td><td class="notes">{call.notes || '—'}</td>
                      <td class="nowrap">{call.attemptedAt ? formatDateTime(call.attemptedAt) : '—'}{call.callId && <> · <a href={`#/calls/${call.callId}`}>{t('openCall')}</a></>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        </>
      )}
    </div>
  );
}
