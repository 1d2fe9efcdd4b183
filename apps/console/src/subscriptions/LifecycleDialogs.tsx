import { useState } from 'react';
import type { Answer } from '../api/api-schemas';
import type { CommandResult } from '../api/api-shapes';
import { useApi } from '../api/use-api';
import { useApiClient } from '../session/session';
import { formatDate, formatMoney } from '../ui/format';
import { FormField } from '../ui/FormField';
import { ActionDialog, type ActionOutcome } from './ActionDialog';
import { PriceSelect, usePrices } from './PriceSelect';
import { currentPeriod, priceOptionLabel } from './subscription-format';
import type { Subscription } from './subscription-types';

interface DialogProps {
  subscription: Subscription;
  disabled: boolean;
  onDone(outcome: ActionOutcome): void;
}

/** `GET /subscriptions/:id/change-plan/credit`. */
type PlanChangeCreditPreview = Answer<'/subscriptions/{id}/change-plan/credit', 'get'>;

const path = (subscription: Subscription, action: string) =>
  `/subscriptions/${encodeURIComponent(subscription.id)}/${action}`;

/**
 * POST /subscriptions/:id/change-plan: this subscription is cancelled now and a new one starts on
 * the chosen price; the page then opens the new one.
 */
export function ChangePlanDialog({ subscription, disabled, onDone }: DialogProps) {
  const api = useApiClient();
  const [choice, setChoice] = useState<{ id: string; label: string }>({ id: '', label: '' });
  const currentPriceId = subscription.items?.[0]?.priceId ?? subscription.items?.[0]?.planId ?? null;
  return (
    <ActionDialog
      label="Change plan"
      submitLabel="Change plan"
      disabled={disabled}
      onOpen={() => setChoice({ id: '', label: '' })}
      onDone={onDone}
      onSubmit={async (idempotencyKey) => {
        const body = { priceId: choice.id };
        const result = await api.post<CommandResult>(path(subscription, 'change-plan'), body, { idempotencyKey });
        return {
          notice: `Plan changed to ${choice.label || choice.id}. This new subscription replaces the previous one.`,
          open: result.id,
        };
      }}
    >
      {(error) => (
        <>
          <p>
            The current subscription is cancelled now, what was paid for the rest of its period is credited to the
            customer’s balance, and a new subscription starts on the chosen price.
          </p>
          <PlanChangeCredit subscription={subscription} />
          <NewPriceField value={choice.id} onChange={setChoice} exclude={currentPriceId} error={error} />
        </>
      )}
    </ActionDialog>
  );
}

/**
 * What the change would credit now (GET /subscriptions/:id/change-plan/credit, the command's own
 * computation): support tells the customer before confirming. Read when the dialog opens.
 */
function PlanChangeCredit({ subscription }: { subscription: Subscription }) {
  const credit = useApi<PlanChangeCreditPreview>(
    (api, signal) => api.get(path(subscription, 'change-plan/credit'), { signal }),
    [subscription.id],
  );
  if (!credit.data) return null;
  const { amount, currency, policy } = credit.data;
  return (
    <p data-testid="plan-change-credit">
      {amount > 0 && currency ? (
        <>
          Credit to the balance now: <strong>{formatMoney(amount, currency)}</strong>{' '}
          <span className="muted">
            ({policy === 'full' ? 'all that was paid for this period' : 'the unused share of this period'})
          </span>
        </>
      ) : (
        <>No credit: nothing was paid for the current period.</>
      )}
    </p>
  );
}

/** The prices to change to: loaded when the dialog opens, not with every subscription page. */
function NewPriceField({
  value,
  onChange,
  exclude,
  error,
}: {
  value: string;
  onChange(choice: { id: string; label: string }): void;
  exclude: string | null;
  error: unknown;
}) {
  const prices = usePrices();
  const choose = (id: string) => {
    const price = prices.data?.data.find((candidate) => candidate.id === id);
    onChange({ id, label: price ? priceOptionLabel(price) : id });
  };
  return (
    <FormField label="New price" field="priceId" error={error}>
      {(props) => (
        <PriceSelect prices={prices.data?.data} value={value} onChange={choose} control={props} exclude={exclude} />
      )}
    </FormField>
  );
}

/** POST /subscriptions/:id/renew: charge upon renewal (the next renewal is charged now). */
export function RenewDialog({ subscription, disabled, onDone }: DialogProps) {
  const api = useApiClient();
  const items = subscription.items ?? [];
  const amount = items.reduce((sum, item) => sum + (item.unitAmount ?? 0) * (item.quantity ?? 1), 0);
  const currency = items[0]?.currency ?? subscription.currency;
  const renewsAt = currentPeriod(subscription).end;
  return (
    <ActionDialog
      label="Renew now"
      title="Renew with charge upon renewal"
      submitLabel={`Charge ${formatMoney(amount, currency)}`}
      disabled={disabled}
      onDone={onDone}
      onSubmit={async (idempotencyKey) => {
        await api.post(path(subscription, 'renew'), undefined, { idempotencyKey });
        return {
          notice: `Renewal charged: ${formatMoney(amount, currency)} to the customer’s card, credited to the balance for the renewal on ${formatDate(renewsAt)}.`,
        };
      }}
    >
      {() => (
        <p>
          Charges the customer’s card on file <strong>{formatMoney(amount, currency)}</strong> now and credits the
          customer’s balance by as much, so the renewal on <strong>{formatDate(renewsAt)}</strong> is already paid. A
          renewal can be paid this way once.
        </p>
      )}
    </ActionDialog>
  );
}

/** POST /subscriptions/:id/cancel, now or at period end, after the dialog asks. */
export function CancelDialog({
  subscription,
  disabled,
  onDone,
  atPeriodEndAllowed,
}: DialogProps & { atPeriodEndAllowed: boolean }) {
  const api = useApiClient();
  const [when, setWhen] = useState<'now' | 'period_end'>('period_end');
  const [reason, setReason] = useState('');
  const periodEnd = currentPeriod(subscription).end;
  const before = subscription.cancellationRequested?.requestedAt ?? null;
  return (
    <ActionDialog
      label="Cancel subscription"
      submitLabel="Cancel subscription"
      danger
      disabled={disabled}
      onOpen={() => {
        setWhen(atPeriodEndAllowed ? 'period_end' : 'now');
        setReason('');
      }}
      onDone={onDone}
      onSubmit={async (idempotencyKey) => {
        await api.post(path(subscription, 'cancel'), { when, reason: reason.trim() || undefined }, { idempotencyKey });
        return {
          notice:
            when === 'now'
              ? 'Cancellation requested: the subscription ends now, once Stripe confirms.'
              : `Cancellation requested: the subscription ends at the end of its period (${formatDate(periodEnd)}).`,
          until: (current) =>
            current.status === 'canceled' ||
            (current.cancellationRequested?.when === when && current.cancellationRequested.requestedAt !== before),
        };
      }}
    >
      {(error) => (
        <>
          <fieldset>
            <legend>When</legend>
            <label className="inline">
              <input
                type="radio"
                name="when"
                value="period_end"
                checked={when === 'period_end'}
                disabled={!atPeriodEndAllowed}
                onChange={() => setWhen('period_end')}
              />
              At period end ({formatDate(periodEnd)}){atPeriodEndAllowed ? '' : ': already set'}
            </label>
            <label className="inline">
              <input type="radio" name="when" value="now" checked={when === 'now'} onChange={() => setWhen('now')} />
              Now: access ends immediately, nothing is refunded automatically
            </label>
          </fieldset>
          <FormField label="Reason (optional)" field="reason" error={error}>
            {(props) => (
              <textarea
                {...props}
                rows={2}
                maxLength={500}
                value={reason}
                onChange={(e) => setReason(e.target.value)}
              />
            )}
          </FormField>
        </>
      )}
    </ActionDialog>
  );
}
