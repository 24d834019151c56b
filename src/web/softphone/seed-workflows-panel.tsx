import { useEffect, useState } from 'preact/hooks';
import type { ApiError } from '../shared/api-client';
import { api } from '../shared/api-client';
import { ErrorBanner } from '../shared/components';
import { asApiError, useAsync } from '../shared/hooks';
import { formatDateTime } from '../shared/i18n';
import type { Static } from '@sinclair/typebox';
import type { ClientOrderView, ManagerAssigned, NewClientsList, StaffNotificationView } from '../../api/schemas/seed-workflow-schemas';
import { useSeedT } from './seed-workflows-i18n';

type Tab = 'newClients' | 'notifications' | 'orders';
type Notice = Static<typeof StaffNotificationView>;

const seedApi = {
  newClients: () => api.get<Static<typeof NewClientsList>>('/api/head/new-clients'),
  assign: (clientId: number, managerId: number) => api.post<Static<typeof ManagerAssigned>>(`/api/head/new-clients/${clientId}/manager`, { managerId }),
  notifications: () => api.get<Notice[]>('/api/me/notifications'),
  markRead: (id: number) => api.post<{ id: number; read: boolean }>(`/api/me/notifications/${id}/read`),
  clientOrders: () => api.get<Array<Static<typeof ClientOrderView>>>('/api/me/client-orders'),
};

/**
 * The seed workflows in the softphone (issue 17 point 8): a department head's
 * clients without a manager with "assign", and every manager's notifications
 * (clients assigned to them, orders from their clients — also arriving live)
 * and their clients' orders.
 */
export function SeedWorkflowsPanel(props: { role: string; live: Notice | null }): preact.JSX.Element {
  const t = useSeedT();
  const isHead = props.role === 'department_head' || props.role === 'admin';
  const [tab, setTab] = useState<Tab>(isHead ? 'newClients' : 'notifications');
  const [version, setVersion] = useState(0);
  useEffect(() => {
    if (props.live) setVersion((v) => v + 1);
  }, [props.live]);
  const tabs: Array<[Tab, string]> = [
    ...(isHead ? [['newClients', t('tabNewClients')] as [Tab, string]] : []),
    ['notifications', t('tabNotifications')], ['orders', t('tabClientOrders')],
  ];
  return (
    <section class="card sp-work" aria-label={t('seedWork')} data-testid="seed-workflows">
      {props.live && <div class="banner info" role="status" data-testid="live-notice">{t('liveNotice', { text: noticeText(t, props.live) })}</div>}
      <div role="tablist" class="sp-tabs" aria-label={t('seedWork')}>
        {tabs.map(([key, label]) => (
          <button type="button" role="tab" key={key} id={`seed-tab-${key}`} aria-selected={tab === key} aria-controls={`seed-panel-${key}`} onClick={() => setTab(key)}>{label}</button>
        ))}
      </div>
      <div role="tabpanel" id={`seed-panel-${tab}`} aria-labelledby={`seed-tab-${tab}`} class="sp-tabpanel">
        {tab === 'newClients' && <NewClients />}
        {tab === 'notifications' && <Notifications version={version} />}
        {tab === 'orders' && <ClientOrders version={version} />}
      </div>
    </section>
  );
}

function noticeText(t: ReturnType<typeof useSeedT>, n: Notice): string {
  return t(n.kind === 'client_assigned' ? 'notice_client_assigned' : 'notice_order_taken', { client: n.clientName ?? '—', actor: n.actorName ?? '—' });
}

function NewClients(): preact.JSX.Element {
  const t = useSeedT();
  const list = useAsync(() => seedApi.newClients(), []);
  const [choice, setChoice] = useState<Record<number, string>>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  if (list.error) return <ErrorBanner error={list.error} onDismiss={list.reload} />;
  if (list.loading && !list.data) return <p class="muted">…</p>;
  const data = list.data ?? { clients: [], managers: {} };
  const assign = async (clientId: number, clientName: string): Promise<void> => {
    setError(null);
    try {
      const result = await seedApi.assign(clientId, Number(choice[clientId]));
      setDone(t('assignedTo', { client: clientName, manager: result.managerName }));
      list.reload();
    } catch (err) {
      setError(asApiError(err));
    }
  };
  return (
    <div class="stack" data-testid="new-clients">
      {done && <div class="banner info" role="status">{done}</div>}
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
      {data.clients.length === 0 ? <p class="muted sp-empty">{t('newClientsNone')}</p> : (
        <ul class="sp-assignments" aria-label={t('tabNewClients')}>
          {data.clients.map((c) => (
            <li key={c.id} class="sp-assignment" data-testid={`new-client-${c.id}`}>
              <div class="row"><strong>{c.name}</strong><span class="grow" /><span class="badge info">{c.type}</span></div>
              <div class="muted">{[c.region, c.phones.join(', '), `${c.department.name}`, `${c.calls} ${t('calls')}`].filter(Boolean).join(' · ')}</div>
              <div class="row">
                <select aria-label={t('managerFor', { client: c.name })} value={choice[c.id] ?? ''} onChange={(e) => setChoice({ ...choice, [c.id]: e.currentTarget.value })}>
                  <option value="" disabled>{t('chooseManager')}</option>
                  {(data.managers[c.department.code] ?? []).map((m) => <option key={m.staffId} value={String(m.staffId)}>{m.name}</option>)}
                </select>
                <button type="button" class="primary" disabled={!choice[c.id]} onClick={() => void assign(c.id, c.name)}>{t('assignManager')}</button>
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function Notifications(props: { version: number }): preact.JSX.Element {
  const t = useSeedT();
  const [tick, setTick] = useState(0);
  const list = useAsync(() => seedApi.notifications(), [props.version, tick]);
  if (list.error) return <ErrorBanner error={list.error} onDismiss={list.reload} />;
  const items = list.data ?? [];
  if (items.length === 0) return <p class="muted sp-empty">{list.loading ? '…' : t('notificationsNone')}</p>;
  return (
    <ul class="sp-assignments" aria-label={t('tabNotifications')} data-testid="notifications">
      {items.map((n) => (
        <li key={n.id} class={`sp-assignment${n.readAt ? ' muted' : ''}`}>
          <div class="row">
            <span class={`badge ${n.kind === 'order_taken' ? 'ok' : 'info'}`}>{n.kind === 'order_taken' ? t('orderRef') : t('client')}</span>
            <span>{noticeText(t, n)}</span><span class="grow" />
            <span class="muted">{formatDateTime(n.createdAt)}</span>
          </div>
          {!n.readAt && <button type="button" class="link" onClick={() => void seedApi.markRead(n.id).then(() => setTick((x) => x + 1))}>{t('markRead')}</button>}
        </li>
      ))}
    </ul>
  );
}

function ClientOrders(props: { version: number }): preact.JSX.Element {
  const t = useSeedT();
  const list = useAsync(() => seedApi.clientOrders(), [props.version]);
  if (list.error) return <ErrorBanner error={list.error} onDismiss={list.reload} />;
  const rows = list.data ?? [];
  if (rows.length === 0) return <p class="muted sp-empty">{list.loading ? '…' : t('ordersNone')}</p>;
  return (
    <table class="sp-table" aria-label={t('tabClientOrders')} data-testid="client-orders">
      <thead><tr><th>{t('client')}</th><th>{t('orderRef')}</th><th class="num">{t('amount')}</th><th>{t('takenBy')}</th><th>{t('paymentForm')} · {t('deliveryDate')} · {t('shippingDetails')}</th></tr></thead>
      <tbody>
        {rows.map((o) => (
          <tr key={o.callId}>
            <td>{o.clientName}<div class="muted">{formatDateTime(o.takenAt)}</div></td>
            <td>{o.orderReference ?? '—'}</td>
            <td class="num">{o.orderAmount ?? '—'}</td>
            <td>{o.takenByName ?? '—'}</td>
            <td>{[o.paymentForm ? t(`pay_${o.paymentForm}` as 'pay_cash') : null, o.deliveryDate, o.shippingDetails].filter(Boolean).join(' · ') || '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
