import { useState } from 'preact/hooks';
import type { ApiError } from '../shared/api-client';
import { ErrorBanner } from '../shared/components';
import { asApiError } from '../shared/hooks';
import { formatDuration } from '../shared/i18n';
import { softphoneApi, type CodeLabel, type WrapUpBody } from './softphone-api';
import type { OrderDetails } from '../../calls/order-details';
import { formRecordsOrder, RegionalOrderFields } from './regional-order-fields';
import { useT } from './softphone-i18n';

export interface WrapUpCall {
  callId: string;
  who: string;
  talkMs: number | null;
  /** The caller's client type, when known: a regional client's order needs more details. */
  clientType?: string | null;
}

/**
 * The form after each call: disposition, notes, optional order reference and
 * amount (with a regional client's payment form, delivery date and
 * shipping details), saved to the call record. "Save and get ready" also ends the
 * wrap-up time so that the next call can come.
 */
export function WrapUpForm(props: {
  call: WrapUpCall;
  codes: CodeLabel[];
  onSaved: (andReady: boolean) => void;
  onDismiss: () => void;
}): preact.JSX.Element {
  const t = useT();
  const active = props.codes.filter((c) => c.active !== false);
  const [code, setCode] = useState('');
  const [notes, setNotes] = useState('');
  const [orderReference, setOrderReference] = useState('');
  const [orderAmount, setOrderAmount] = useState('');
  const [details, setDetails] = useState<OrderDetails>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);

  const save = async (andReady: boolean): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const body: WrapUpBody = { dispositionCode: code };
      if (notes.trim()) body.notes = notes.trim();
      if (orderReference.trim()) body.orderReference = orderReference.trim();
      if (orderAmount.trim()) body.orderAmount = Number(orderAmount.replace(',', '.'));
      if (details.paymentForm) body.paymentForm = details.paymentForm as NonNullable<WrapUpBody['paymentForm']>;
      if (details.deliveryDate) body.deliveryDate = details.deliveryDate;
      if (details.shippingDetails?.trim()) body.shippingDetails = details.shippingDetails.trim();
      await softphoneApi.wrapUp(props.call.callId, body);
      setSaved(true);
      props.onSaved(andReady);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };
  const submit = (event: SubmitEvent): void => {
    event.preventDefault();
    const andReady = (event.submitter as HTMLButtonElement | null)?.value === 'ready';
    void save(andReady);
  };
  const amountInvalid = orderAmount.trim() !== '' && !Number.isFinite(Number(orderAmount.replace(',', '.')));

  return (
    <form class="card sp-wrapup" onSubmit={submit} aria-label={t('wrapUpForm')} data-testid="wrap-up-form">
      <div class="sp-wrapup-head">
        <h2>{t('wrapUpForm')}</h2>
        <span class="muted">{props.call.who}{props.call.talkMs !== null ? ` · ${formatDuration(props.call.talkMs)}` : ''}</span>
      </div>
      {saved ? (
        <div class="banner info" role="status">
          <span>{t('wrapUpSaved')}</span>
          <button type="button" class="link" onClick={props.onDismiss}>{t('close')}</button>
        </div>
      ) : (
        <>
          <div class="sp-form-grid">
            <label class="wide">{t('disposition')}
              <select name="disposition" value={code} onChange={(e) => setCode(e.currentTarget.value)} required>
                <option value="" disabled>{t('chooseDisposition')}</option>
                {active.map((c) => <option key={c.code} value={c.code}>{c.label}</option>)}
              </select>
            </label>
            <label class="wide">{t('notes')}
              <textarea name="notes" rows={3} value={notes} maxLength={5000} onInput={(e) => setNotes(e.currentTarget.value)} />
            </label>
            <label>{t('orderReference')}
              <input name="orderReference" value={orderReference} maxLength={100} onInput={(e) => setOrderReference(e.currentTarget.value)} />
            </label>
            <label>{t('orderAmount')}
              <input name="orderAmount" inputMode="decimal" value={orderAmount} aria-invalid={amountInvalid} onInput={(e) => setOrderAmount(e.currentTarget.value)} />
            </label>
            <RegionalOrderFields clientType={props.call.clientType ?? null} required={formRecordsOrder(code, orderReference)} value={details} onChange={setDetails} />
          </div>
          {amountInvalid && <p class="error" role="alert">{t('amountInvalid')}</p>}
          <ErrorBanner error={error} onDismiss={() => setError(null)} />
          <div class="row">
            <button type="submit" value="ready" class="primary" disabled={busy || !code || amountInvalid}>{t('saveAndReady')}</button>
            <button type="submit" value="save" disabled={busy || !code || amountInvalid}>{t('save')}</button>
          </div>
        </>
      )}
    </form>
  );
}
