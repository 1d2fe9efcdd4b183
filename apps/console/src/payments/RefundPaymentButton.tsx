import { type FormEvent, useState } from 'react';
import { newIdempotencyKey } from '../api/api-client';
import type { Payment } from '../api/api-shapes';
import { useApiClient } from '../session/session';
import { Dialog } from '../ui/Dialog';
import { ErrorMessage } from '../ui/ErrorMessage';
import { formatDateTime, formatMoney, toMinorUnits } from '../ui/format';
import { stripeSyncText } from '../ui/StripeSyncNote';

export type RefundablePayment = Pick<Payment, 'id' | 'amount' | 'amountRefunded' | 'currency'> &
  Partial<Pick<Payment, 'refundable' | 'pendingRefunds'>>;

const REASONS = [
  ['requested_by_customer', 'Requested by customer'],
  ['duplicate', 'Duplicate'],
  ['fraudulent', 'Fraudulent'],
] as const;

/**
 * Refund a payment (`POST /payments/:id/refund`): all that is left, or part of it. The amount is
 * typed in the currency's units and sent in minor units; one Idempotency-Key per opened dialog, so
 * a double submit refunds once. What is left is the API's `refundable`: refunds another agent asked
 * for that Stripe has not confirmed yet are excluded, and listed; the dialog reads it afresh when it
 * opens, so a page loaded before another agent's refund still offers the right amount.
 */
export function RefundPaymentButton({ payment, onRefunded }: { payment: RefundablePayment; onRefunded?(): void }) {
  const api = useApiClient();
  const [fresh, setFresh] = useState<Payment | null>(null);
  const current: RefundablePayment = fresh ?? payment;
  const left = current.refundable ?? Math.max(0, (current.amount ?? 0) - (current.amountRefunded ?? 0));
  const pending = current.pendingRefunds ?? [];
  const [open, setOpen] = useState(false);
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('requested_by_customer');
  const [key, setKey] = useState(newIdempotencyKey);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const minor = amount.trim() === '' ? undefined : toMinorUnits(amount, payment.currency);
    // Checked here because JSON would turn NaN into null, which the API reads as "refund everything".
    if (minor !== undefined && !(minor > 0)) {
      setError(new Error('amount must be a positive number, e.g. 12.50'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.post(
        `/payments/${encodeURIComponent(payment.id)}/refund`,
        { amount: minor, reason },
        { idempotencyKey: key },
      );
      setDone(
        `Refund of ${minor === undefined ? formatMoney(left, payment.currency) : formatMoney(minor, payment.currency)} requested`,
      );
      setOpen(false);
      setFresh(null);
      setKey(newIdempotencyKey());
      onRefunded?.();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const openDialog = () => {
    setOpen(true);
    // The page's copy may be older than another agent's refund: what the API says now decides.
    api.get<Payment>(`/payments/${encodeURIComponent(payment.id)}`).then(setFresh, () => undefined);
  };

  return (
    <>
      <button type="button" disabled={left <= 0} onClick={openDialog} aria-label={`Refund ${payment.id}`}>
        Refund
      </button>
      {done ? (
        <span role="status" className="notice">
          {done}
        </span>
      ) : null}
      {open ? (
        <Dialog label="Refund payment" onSubmit={submit} onClose={busy ? undefined : () => setOpen(false)}>
          <h2>Refund {payment.id}</h2>
          <p>
            Refundable: <strong data-testid="refundable">{formatMoney(left, payment.currency)}</strong>
            {pending.length ? ' (refunds Stripe has not confirmed yet excluded)' : null}
          </p>
          {pending.length ? (
            <div className="pending-refunds">
              <h3>Pending refunds</h3>
              <ul aria-label="Pending refunds">
                {pending.map((refund) => (
                  <li key={refund.commandEventId}>
                    {formatMoney(refund.amount, refund.currency ?? payment.currency)} requested
                    {refund.actor ? ` by ${refund.actor}` : ''}
                    {refund.requestedAt ? ` ${formatDateTime(refund.requestedAt)}` : ''}
                    {' · '}
                    {stripeSyncText(refund.stripeSync) ?? 'sent to Stripe, waiting for its confirmation'}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          <label>
            Amount ({(payment.currency ?? '').toUpperCase()}), empty for all that is left
            <input
              inputMode="decimal"
              name="amount"
              value={amount}
              onChange={(event) => setAmount(event.target.value)}
            />
          </label>
          <label>
            Reason
            <select name="reason" value={reason} onChange={(event) => setReason(event.target.value)}>
              {REASONS.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          <ErrorMessage error={error} />
          <div className="actions">
            <button type="button" onClick={() => setOpen(false)} disabled={busy}>
              Keep it
            </button>
            <button type="submit" className="danger" disabled={busy}>
              {busy ? 'Refunding…' : 'Refund'}
            </button>
          </div>
        </Dialog>
      ) : null}
    </>
  );
}
