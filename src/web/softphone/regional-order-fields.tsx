import type { OrderDetails, PaymentForm } from '../../calls/order-details';
import { useSeedT } from './seed-workflows-i18n';

/**
 * Payment form, delivery date and shipping details (DESIGN.md §1 rule 8):
 * shown for a client whose orders need them, required once the form records
 * an order — the server checks the same rule (src/calls/order-details.ts).
 */
/** The server's list (src/calls/order-details.ts), typed against it; the server re-checks every form. */
const PAYMENT_FORMS: readonly PaymentForm[] = ['bank_transfer', 'cash', 'card', 'deferred'];

/** A regional client's order needs the details (requiredOrderFields on the server). */
export const needsOrderDetails = (clientType: string | null): boolean => clientType === 'regional';

/** The form records an order (recordsOrder on the server). */
export const formRecordsOrder = (dispositionCode: string, orderReference: string): boolean => dispositionCode === 'order_taken' || orderReference.trim() !== '';

export function RegionalOrderFields(props: { clientType: string | null; required: boolean; value: OrderDetails; onChange: (value: OrderDetails) => void }): preact.JSX.Element | null {
  const t = useSeedT();
  if (!needsOrderDetails(props.clientType)) return null;
  const set = (patch: OrderDetails): void => props.onChange({ ...props.value, ...patch });
  return (
    <fieldset class="wide sp-form-grid" data-testid="regional-order-fields">
      <legend>{t('regionalDetails')}</legend>
      <label>{t('paymentForm')}
        <select name="paymentForm" value={props.value.paymentForm ?? ''} required={props.required} onChange={(e) => set({ paymentForm: e.currentTarget.value })}>
          <option value="">{t('choosePayment')}</option>
          {PAYMENT_FORMS.map((f) => <option key={f} value={f}>{t(`pay_${f}`)}</option>)}
        </select>
      </label>
      <label>{t('deliveryDate')}
        <input type="date" name="deliveryDate" value={props.value.deliveryDate ?? ''} required={props.required} onInput={(e) => set({ deliveryDate: e.currentTarget.value })} />
      </label>
      <label class="wide">{t('shippingDetails')}
        <textarea name="shippingDetails" rows={2} maxLength={1000} value={props.value.shippingDetails ?? ''} required={props.required} onInput={(e) => set({ shippingDetails: e.currentTarget.value })} />
      </label>
    </fieldset>
  );
}
