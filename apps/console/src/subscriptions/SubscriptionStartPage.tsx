import './subscriptions.css';
import { type FormEvent, useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { newIdempotencyKey } from '../api/api-client';
import type { CommandResult } from '../api/api-shapes';
import type { Customer } from '../customers/customer-types';
import { useApiClient } from '../session/session';
import { ErrorMessage } from '../ui/ErrorMessage';
import { FormField } from '../ui/FormField';
import { AddressFields } from './AddressFields';
import { CollectionField } from './CollectionField';
import { CustomerPicker } from './CustomerPicker';
import { CouponSelect, PriceSelect, useCoupons, usePrices } from './PriceSelect';
import { EMPTY_START_FORM, type StartForm, startBody } from './start-form';

/**
 * Start a subscription (POST /subscriptions). The API checks everything (customer, price, coupon,
 * card on file, gift recipient) and answers every problem at once: each is shown beside its field
 * and all of them above the button. `?customerId=` preselects the customer (from a customer page).
 */
export function SubscriptionStartPage() {
  const api = useApiClient();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const presetCustomerId = params.get('customerId');
  const prices = usePrices();
  const coupons = useCoupons();
  const [form, setForm] = useState<StartForm>(EMPTY_START_FORM);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // Fields edited since the last answer: their messages may no longer hold, so they are not shown
  // beside them (the summary still says what the last attempt was refused for).
  const [edited, setEdited] = useState<ReadonlySet<string>>(new Set());
  const set = (changes: Partial<StartForm>) => {
    setForm((current) => ({ ...current, ...changes }));
    setEdited((current) => new Set([...current, ...Object.keys(changes)]));
  };
  const errorOf = (key: keyof StartForm) => (edited.has(key) ? null : error);

  useEffect(() => {
    if (!presetCustomerId) return;
    const controller = new AbortController();
    api.get<Customer>(`/customers/${encodeURIComponent(presetCustomerId)}`, { signal: controller.signal }).then(
      (customer) => setForm((current) => (current.customer ? current : { ...current, customer })),
      (caught: unknown) => {
        if (!controller.signal.aborted) setError(caught);
      },
    );
    return () => controller.abort();
  }, [api, presetCustomerId]);

  const price = prices.data?.data.find((candidate) => candidate.id === form.priceId);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setEdited(new Set());
    try {
      // A key per attempt: a retried request of this attempt is carried out once, while a new
      // attempt (after adding a card, say) is decided afresh rather than answered from the last.
      const result = await api.post<CommandResult>('/subscriptions', startBody(form), {
        idempotencyKey: newIdempotencyKey(),
      });
      // Only what is certain: the page's outbound-sync note says whether Stripe is waited for,
      // paused or retrying, which a promise of "a moment" would contradict.
      navigate(`/subscriptions/${encodeURIComponent(result.id)}`, { state: { notice: 'Subscription started.' } });
    } catch (caught) {
      setError(caught);
      setBusy(false);
    }
  };

  return (
    <section className="card">
      <h1>Start subscription</h1>
      <form onSubmit={submit} aria-label="Start subscription" noValidate className="sub-form">
        <div className="grid-2">
          <CustomerPicker
            label="Customer"
            field="customerId"
            error={errorOf('customer')}
            value={form.customer}
            onChange={(customer) => set({ customer })}
          />
          <CollectionField
            value={form.collection}
            onChange={(collection) => set({ collection })}
            customerId={form.customer?.id ?? null}
            error={errorOf('collection')}
          />
          <FormField label="Price" field="priceId" error={errorOf('priceId')}>
            {(props) => (
              <PriceSelect
                prices={prices.data?.data}
                value={form.priceId}
                onChange={(priceId) => set({ priceId })}
                control={props}
              />
            )}
          </FormField>
          <FormField label="Coupon" field="couponId" error={errorOf('couponId')}>
            {(props) => (
              <CouponSelect
                coupons={coupons.data?.data}
                value={form.couponId}
                onChange={(couponId) => set({ couponId })}
                control={props}
              />
            )}
          </FormField>
          <FormField
            label="Trial days"
            field="trialDays"
            error={errorOf('trialDays')}
            hint={`Empty: the price’s trial (${price?.trialPeriodDays ? `${price.trialPeriodDays} days` : 'none'}); 0: no trial.`}
          >
            {(props) => (
              <input
                {...props}
                inputMode="numeric"
                value={form.trialDays}
                onChange={(event) => set({ trialDays: event.target.value })}
              />
            )}
          </FormField>
          <FormField
            label="Shipments remaining"
            field="shipmentsRemaining"
            error={errorOf('shipmentsRemaining')}
            hint="Empty: not counted."
          >
            {(props) => (
              <input
                {...props}
                inputMode="numeric"
                value={form.shipmentsRemaining}
                onChange={(event) => set({ shipmentsRemaining: event.target.value })}
              />
            )}
          </FormField>
          <CustomerPicker
            label="Gift recipient"
            field="giftRecipientId"
            error={errorOf('giftRecipient')}
            hint="Optional: another customer who receives the shipments."
            value={form.giftRecipient}
            onChange={(giftRecipient) => set({ giftRecipient })}
          />
        </div>
        <fieldset>
          <legend>Shipping address (optional)</legend>
          <AddressFields
            value={form.shippingAddress}
            onChange={(shippingAddress) => set({ shippingAddress })}
            error={errorOf('shippingAddress')}
          />
        </fieldset>
        {prices.error ? <ErrorMessage error={prices.error} /> : null}
        <ErrorMessage error={error} />
        <div className="actions">
          <button type="submit" disabled={busy}>
            {busy ? 'Starting…' : 'Start subscription'}
          </button>
          <Link to="/subscriptions">Back to subscriptions</Link>
        </div>
      </form>
    </section>
  );
}
