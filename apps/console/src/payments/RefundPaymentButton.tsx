import { type FormEvent, useState } from 'react';
import { newIdempotencyKey } from '../api/api-client';
import type { Payment } from '../api/api-shapes';
import { useApiClient } from '../session/session';
import { ErrorMessage } from '../ui/ErrorMessage';
import { formatMoney, toMinorUnits } from '../ui/format';

export type RefundablePayment = Pick<Payment, 'id' | 'amount' | 'amountRefunded' | 'currency'>;

const REASONS = [
  ['requested_by_customer', 'Requested by customer'],
  ['duplicate', 'Duplicate'],
  ['fraudulent', 'Fraudulent'],
] as const;

/**
 * Refund a payment (`POST /payments/:id/refund`): all that is left, or part of it. The amount is
 * typed in the currency's units and sent in minor units; one Idempotency-Key per opened dialog, so
 * a double submit refunds once.
 */
export function RefundPaymentButton({ payment, onRefunded }: { payment: RefundablePayment; onRefunded?(): void }) {
  const api = useApiClient();
  const left = Math.max(0, (payment.amount ?? 0) - (payment.amountRefunded ?? 0));
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
      setKey(newIdempotencyKey());
      onRefunded?.();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button type="button" disabled={left <= 0} onClick={() => setOpen(true)} aria-label={`Refund ${payment.id}`}>
        Refund
      </button>
      {done ? (
        <span role="status" className="notice">
          {done}
        </span>
      ) : null}
      {open ? (
        <div className="dialog-backdrop">
          <form role="dialog" aria-modal="true" aria-label="Refund payment" className="card dialog" onSubmit={submit}>
            <h2>Refund {payment.id}</h2>
            <p>
              Refundable: <strong>{formatMoney(left, payment.currency)}</strong>
            </p>
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
          </form>
        </div>
      ) : null}
    </>
  );
}
