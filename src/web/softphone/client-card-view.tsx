import { useState } from 'preact/hooks';
import { ApiError } from '../shared/api-client';
import { ErrorBanner } from '../shared/components';
import { asApiError } from '../shared/hooks';
import { formatDateTime, formatDuration, formatMoney } from '../shared/i18n';
import { softphoneApi, type ClientCard, type ClientCardPart, type CodeLabel } from './softphone-api';
import { outcomeLabel, useT } from './softphone-i18n';

function toNumber(value: number | string | null | undefined): number {
  if (value === null || value === undefined) return 0;
  const n = typeof value === 'string' ? Number(value) : value;
  return Number.isFinite(n) ? n : 0;
}

/**
 * Who is calling, on screen before the call is answered (design §3 step 6):
 * name, type, manager, debt warning, region, language, notes, last calls with
 * their dispositions, the IVR path and why the call came here. An unknown
 * caller gets the "new client" card with a quick-create form.
 */
export function ClientCardView(props: {
  card: ClientCard;
  heading?: string;
  clientTypes: CodeLabel[];
  canCall: boolean;
  onCall?: (target: { clientId?: number; number?: string; label: string }) => void;
  onCreated: (part: ClientCardPart) => void;
}): preact.JSX.Element {
  const t = useT();
  const { card } = props;
  const client = card.client;
  const debt = client?.debt ?? null;
  const overdue = toNumber(debt?.overdueAmount);
  const number = card.callerE164 ?? card.callerNumber;
  return (
    <section class="card sp-client" aria-label={t('clientCard')} data-testid="client-card">
      <header class="sp-client-head">
        <div>
          {props.heading && <div class="muted sp-eyebrow">{props.heading}</div>}
          <h2 data-testid="client-name">{client ? client.name : t('newClient')}</h2>
          <div class="row sp-client-tags">
            {client && <span class="badge info" data-testid="client-type">{client.clientTypeLabel ?? client.clientType}</span>}
            {!client && <span class="badge">{t('notInDirectory')}</span>}
            {number && <span class="mono">{number}</span>}
          </div>
        </div>
        {props.canCall && props.onCall && (client || number) && (
          <button type="button" class="ok" onClick={() => props.onCall?.(client ? { clientId: client.id, label: client.name } : { number: number ?? '', label: number ?? '' })}>
            {t('callClient')}
          </button>
        )}
      </header>

      {debt && (debt.hasOverdue || debt.overLimit) && (
        <div class="banner error sp-debt" role="alert" data-testid="debt-warning">
          <strong>{t('debtWarning')}</strong>
          {debt.hasOverdue && <span>{t('overdueAmount', { amount: formatMoney(overdue) })}</span>}
          {debt.overLimit && <span>{t('overLimit', { balance: formatMoney(debt.balance), limit: formatMoney(debt.limit) })}</span>}
          <span>{t('debtRule')}</span>
        </div>
      )}

      {client && (
        <dl class="sp-facts">
          <div><dt>{t('manager')}</dt><dd data-testid="client-manager">{client.manager?.name ?? t('noManager')}</dd></div>
          <div><dt>{t('region')}</dt><dd>{client.region ?? '—'}</dd></div>
          <div><dt>{t('language')}</dt><dd>{client.language ?? '—'}</dd></div>
          <div><dt>{t('balance')}</dt><dd>{debt ? `${formatMoney(debt.balance)} / ${formatMoney(debt.limit)}` : '—'}</dd></div>
        </dl>
      )}
      {client?.notes && <p class="sp-notes"><span class="muted">{t('notes')}: </span>{client.notes}</p>}

      {(card.routingReason || card.queue || card.ivrPath.length > 0 || card.waitMs !== null) && (
        <dl class="sp-facts sp-route">
          {card.routingReason && <div class="wide"><dt>{t('routingReason')}</dt><dd data-testid="routing-reason">{card.routingReason}</dd></div>}
          {card.ivrPath.length > 0 && <div class="wide"><dt>{t('ivrPath')}</dt><dd><ol class="sp-path">{card.ivrPath.map((s, i) => <li key={i}>{s}</li>)}</ol></dd></div>}
          {card.queue && <div><dt>{t('queue')}</dt><dd>{card.queue}</dd></div>}
          {card.waitMs !== null && <div><dt>{t('waited')}</dt><dd>{formatDuration(card.waitMs)}</dd></div>}
        </dl>
      )}

      <h3>{t('lastCalls')}</h3>
      {card.lastCalls.length === 0 ? (
        <p class="muted">{t('noLastCalls')}</p>
      ) : (
        <table class="sp-table" aria-label={t('lastCalls')}>
          <thead><tr><th>{t('when')}</th><th>{t('outcome')}</th><th>{t('disposition')}</th><th>{t('agent')}</th><th class="num">{t('talk')}</th></tr></thead>
          <tbody>
            {card.lastCalls.map((c) => (
              <tr key={c.callId}>
                <td>{formatDateTime(c.startedAt)}</td>
                <td>{outcomeLabel(t, c.outcome)}</td>
                <td>{c.dispositionLabel ?? c.dispositionCode ?? '—'}</td>
                <td>{c.agentName ?? '—'}</td>
                <td class="num">{formatDuration(c.talkMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {!client && <QuickCreateForm phone={number ?? ''} clientTypes={props.clientTypes} onCreated={props.onCreated} />}
    </section>
  );
}

/** "New client": create the caller in the directory from the card, while talking. */
function QuickCreateForm(props: { phone: string; clientTypes: CodeLabel[]; onCreated: (part: ClientCardPart) => void }): preact.JSX.Element {
  const t = useT();
  const [form, setForm] = useState({ name: '', phone: props.phone, clientType: '', region: '', language: '', notes: '' });
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const types = props.clientTypes.filter((c) => c.active !== false);
  const clientType = form.clientType || types[0]?.code || '';
  const set = (key: keyof typeof form) => (e: Event): void => setForm((f) => ({ ...f, [key]: (e.currentTarget as HTMLInputElement).value }));
  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const created = await softphoneApi.quickClient({
        name: form.name.trim(), phone: form.phone.trim(), clientType,
        ...(form.region.trim() ? { region: form.region.trim() } : {}),
        ...(form.language ? { language: form.language } : {}),
        ...(form.notes.trim() ? { notes: form.notes.trim() } : {}),
      });
      props.onCreated(created);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="sp-quick" onSubmit={(e) => void submit(e)} aria-label={t('quickCreate')}>
      <h3>{t('quickCreate')}</h3>
      <div class="sp-form-grid">
        <label>{t('clientName')}<input name="name" value={form.name} onInput={set('name')} required maxLength={200} /></label>
        <label>{t('phoneNumber')}<input name="phone" type="tel" value={form.phone} onInput={set('phone')} required /></label>
        <label>{t('clientType')}
          <select name="clientType" value={clientType} onChange={set('clientType')}>
            {types.map((c) => <option key={c.code} value={c.code}>{c.label}</option>)}
          </select>
        </label>
        <label>{t('region')}<input name="region" value={form.region} onInput={set('region')} maxLength={100} /></label>
        <label>{t('language')}
          <select name="language" value={form.language} onChange={set('language')}>
            <option value="">—</option>
            <option value="ru">Русский</option>
            <option value="en">English</option>
            <option value="pl">Polski</option>
            <option value="ro">Română</option>
          </select>
        </label>
        <label class="wide">{t('notes')}<textarea name="notes" rows={2} value={form.notes} onInput={set('notes')} maxLength={5000} /></label>
      </div>
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
      <button type="submit" class="primary" disabled={busy || !form.name.trim() || !form.phone.trim() || !clientType}>{busy ? t('saving') : t('createClient')}</button>
    </form>
  );
}
