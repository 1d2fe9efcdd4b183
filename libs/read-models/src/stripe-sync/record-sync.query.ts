import type { DataSource } from 'typeorm';
import type { PaymentView } from '../payments/payments.query';
import type { SubscriptionDetailView } from '../subscriptions/subscriptions.query';

/**
 * Where a record's latest outbound command stands with Stripe (issue 28), for the record's own
 * answer (GET /subscriptions/:id, /customers/:id, /payments/:id): the console says what it waits
 * for instead of "Stripe creates it in a moment" forever.
 *
 * - `paused`: the command waits and the outbound sync is not running (no STRIPE_API_KEY);
 * - `pending`: the command waits for the process manager (running);
 * - `failed`: Stripe refused it or every attempt failed (`reason`, `attempts`);
 * - `synced`: Stripe carried it out.
 */
export type RecordSyncState = 'paused' | 'pending' | 'failed' | 'synced';

export interface RecordStripeSync {
  state: RecordSyncState;
  /** Why it is paused or failed; null otherwise. */
  reason: string | null;
  /** The attempts the last failure reported (0 until one failed). */
  attempts: number;
  /** When the last outcome (synced or failed) was recorded; null while none was. */
  lastAttemptAt: string | null;
  commandEventId: string;
  commandEventType: string | null;
  /** When the command was issued, and by whom (the API key's name). */
  occurredAt: string | null;
  actor: string | null;
}

/** GET /subscriptions/:id now: the subscription, and where its latest command stands with Stripe. */
export type SubscriptionRecordView = SubscriptionDetailView & { stripeSync: RecordStripeSync | null };

/** Whether the outbound sync runs (the api's configuration says: a STRIPE_API_KEY is set). */
export interface OutboundSync {
  paused: boolean;
  /** Why it is paused, in words; null when running. */
  reason: string | null;
}

export const PAUSED_REASON = 'the outbound sync to Stripe is paused (no STRIPE_API_KEY)';

export function outboundSync(stripeApiKey: string | null): OutboundSync {
  return stripeApiKey === null ? { paused: true, reason: PAUSED_REASON } : { paused: false, reason: null };
}

interface SyncRow {
  command_event_id: string;
  command_event_type: string | null;
  status: 'pending' | 'synced' | 'failed';
  reason: string | null;
  attempts: number;
  occurred_at: Date | null;
  outcome_at: Date | null;
  actor: string | null;
}

const iso = (value: Date | null) => (value ? new Date(value).toISOString() : null);

function recordSyncOf(row: SyncRow, outbound: OutboundSync): RecordStripeSync {
  const waiting = row.status === 'pending';
  return {
    state: waiting ? (outbound.paused ? 'paused' : 'pending') : row.status,
    reason: row.status === 'failed' ? row.reason : waiting ? outbound.reason : null,
    attempts: Number(row.attempts) || 0,
    lastAttemptAt: iso(row.outcome_at),
    commandEventId: row.command_event_id,
    commandEventType: row.command_event_type,
    occurredAt: iso(row.occurred_at),
    actor: row.actor,
  };
}

/** The latest outbound command of the record's streams (`subscription-<id>`, ...), or null when it has none. */
export async function latestStripeSync(
  dataSource: DataSource,
  streams: string[],
  outbound: OutboundSync,
): Promise<RecordStripeSync | null> {
  const rows: SyncRow[] = await dataSource.query(
    `SELECT command_event_id, command_event_type, status, reason, attempts, occurred_at, outcome_at, actor
       FROM stripe_sync WHERE stream = ANY($1) AND event_position IS NOT NULL
      ORDER BY event_position DESC LIMIT 1`,
    [streams],
  );
  return rows[0] ? recordSyncOf(rows[0], outbound) : null;
}

/** A refund the platform asked for that Stripe does not show yet (or that failed). */
export interface PendingRefund {
  commandEventId: string;
  amount: number;
  currency: string | null;
  requestedAt: string | null;
  /** The API key's name that asked for it. */
  actor: string | null;
  stripeSync: RecordStripeSync;
}

/** What a payment's answer says about refunds beyond Stripe's own: those still on their way, and what is left. */
export interface PaymentRefunds {
  /** Refunds asked for that Stripe has not confirmed yet, oldest first. Failed requests are not listed. */
  pendingRefunds: PendingRefund[];
  /**
   * What can still be refunded, in minor units: captured, less the refunds Stripe holds (failed and
   * canceled ones excepted), less the pending ones: what POST /payments/:id/refund accepts.
   */
  refundable: number;
  /** The state of the payment's latest outbound command (a refund request); null when none. */
  stripeSync: RecordStripeSync | null;
}

/** Payments (GET /payments/:id, a customer's payments) with their pending refunds and what is left to refund. */
export async function withPendingRefunds<P extends PaymentView>(
  dataSource: DataSource,
  payments: P[],
  outbound: OutboundSync,
): Promise<(P & PaymentRefunds)[]> {
  const idsOf = (payment: PaymentView): string[] =>
    payment.object === 'payment_intent'
      ? [payment.id, ...payment.charges.map((charge) => charge.id)]
      : [payment.id, ...(payment.paymentIntentId ? [payment.paymentIntentId] : [])];
  const ids = [...new Set(payments.flatMap(idsOf))];
  if (ids.length === 0) return [];
  const [requests, stripeRefunds]: [
    (SyncRow & { payment_id: string; amount: string | null; currency: string | null; refund_id: string | null })[],
    { id: string; amount: string; charge_id: string | null; payment_intent_id: string | null }[],
  ] = await Promise.all([
    dataSource.query(
      `SELECT command_event_id, command_event_type, status, reason, attempts, occurred_at, outcome_at, actor,
              payment_id, amount, currency, stripe_ids->>'refund' AS refund_id
         FROM stripe_sync
        WHERE payment_id = ANY($1) AND command_event_type = 'RefundRequested'
        ORDER BY occurred_at, event_position`,
      [ids],
    ),
    dataSource.query(
      `SELECT id, amount, charge_id, payment_intent_id FROM refunds
        WHERE (charge_id = ANY($1) OR payment_intent_id = ANY($1)) AND COALESCE(status, '') NOT IN ('failed', 'canceled')`,
      [ids],
    ),
  ]);
  const known = new Set(stripeRefunds.map((refund) => refund.id));
  return payments.map((payment) => {
    const own = new Set(idsOf(payment));
    const inStripe = stripeRefunds
      .filter((refund) => own.has(refund.charge_id ?? '') || own.has(refund.payment_intent_id ?? ''))
      .reduce((sum, refund) => sum + Number(refund.amount), 0);
    const pendingRefunds: PendingRefund[] = requests
      .filter((request) => own.has(request.payment_id) && request.status !== 'failed' && request.amount !== null)
      .filter((request) => request.refund_id === null || !known.has(request.refund_id))
      .map((request) => ({
        commandEventId: request.command_event_id,
        amount: Number(request.amount),
        currency: request.currency,
        requestedAt: iso(request.occurred_at),
        actor: request.actor,
        stripeSync: recordSyncOf(request, outbound),
      }));
    const succeeded = ['succeeded', 'paid'].includes(String(payment.status ?? ''));
    const captured = !succeeded
      ? 0
      : payment.object === 'payment_intent'
        ? Number(payment.amountReceived) || 0
        : Number(payment.amountCaptured ?? payment.amount) || 0;
    const pending = pendingRefunds.reduce((sum, refund) => sum + refund.amount, 0);
    const latest = requests.filter((request) => own.has(request.payment_id)).at(-1);
    return {
      ...payment,
      pendingRefunds,
      refundable: Math.max(0, captured - inStripe - pending),
      stripeSync: latest ? recordSyncOf(latest, outbound) : null,
    };
  });
}
