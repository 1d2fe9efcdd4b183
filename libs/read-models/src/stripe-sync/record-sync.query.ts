import type { DataSource } from 'typeorm';
import type { CustomerView } from '../customers/customers.query';
import type { PaymentView } from '../payments/payments.query';
import type { SubscriptionDetailView } from '../subscriptions/subscriptions.query';
import { retryJoin } from './stripe-sync-attempts';

/**
 * Where a record's latest outbound command stands with Stripe (issue 28), for the record's own
 * answer (GET /subscriptions/:id, /customers/:id, /payments/:id): the console says what it waits
 * for instead of "Stripe creates it in a moment" forever.
 *
 * - `paused`: the command waits and the outbound sync is not running (no STRIPE_API_KEY);
 * - `pending`: the command waits for the process manager (running);
 * - `retrying`: Stripe failed in a way that passes (429, 409, 5xx, no answer) and the process
 *   manager waits to try again (`attempts`: the attempt it will make, `reason`, `nextAttemptAt`).
 *   A worker recording retries is running whatever this api's configuration says, so this wins
 *   over `paused`;
 * - `failed`: Stripe refused it or every attempt failed (`reason`, `attempts`);
 * - `synced`: Stripe carried it out.
 */
export type RecordSyncState = 'paused' | 'pending' | 'retrying' | 'failed' | 'synced';

export interface RecordStripeSync {
  state: RecordSyncState;
  /** Why it is paused, retrying (`429 rate limit`) or failed; null otherwise. */
  reason: string | null;
  /** Retrying: the attempt it waits to make. Otherwise the attempts the last failure reported (0 until one failed). */
  attempts: number;
  /** Retrying: when the last attempt failed. Otherwise when the last outcome (synced or failed) was recorded; null while none was. */
  lastAttemptAt: string | null;
  /** Retrying: when the next attempt is due (it may be a moment past while it is made); null otherwise. */
  nextAttemptAt: string | null;
  commandEventId: string;
  commandEventType: string | null;
  /** When the command was issued, and by whom (the API key's name). */
  occurredAt: string | null;
  actor: string | null;
}

/** GET /subscriptions/:id now: the subscription, and where its latest command stands with Stripe. */
export type SubscriptionRecordView = SubscriptionDetailView & { stripeSync: RecordStripeSync | null };

/** GET /customers/:id now: the customer, and where its latest command (register, edit, delete) stands with Stripe. */
export type CustomerRecordView = CustomerView & { stripeSync: RecordStripeSync | null };

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
  /** The retry being waited out (retryJoin): null unless pending and retrying. */
  retry_attempt: number | null;
  retry_reason: string | null;
  retry_last_at: Date | null;
  retry_next_at: Date | null;
}

/** The columns recordSyncOf reads, from `stripe_sync s` joined by `retryJoin('s', 'a')`. */
const SYNC_COLUMNS = `s.command_event_id, s.command_event_type, s.status, s.reason, s.attempts, s.occurred_at,
  s.outcome_at, s.actor, a.attempt AS retry_attempt, a.reason AS retry_reason, a.last_attempt_at AS retry_last_at,
  a.next_attempt_at AS retry_next_at`;

const iso = (value: Date | null) => (value ? new Date(value).toISOString() : null);

function recordSyncOf(row: SyncRow, outbound: OutboundSync): RecordStripeSync {
  const command = {
    commandEventId: row.command_event_id,
    commandEventType: row.command_event_type,
    occurredAt: iso(row.occurred_at),
    actor: row.actor,
  };
  if (row.retry_attempt !== null) {
    return {
      state: 'retrying',
      reason: row.retry_reason,
      attempts: Number(row.retry_attempt),
      lastAttemptAt: iso(row.retry_last_at),
      nextAttemptAt: iso(row.retry_next_at),
      ...command,
    };
  }
  const waiting = row.status === 'pending';
  return {
    state: waiting ? (outbound.paused ? 'paused' : 'pending') : row.status,
    reason: row.status === 'failed' ? row.reason : waiting ? outbound.reason : null,
    attempts: Number(row.attempts) || 0,
    lastAttemptAt: iso(row.outcome_at),
    nextAttemptAt: null,
    ...command,
  };
}

/** The latest outbound command of the record's streams (`subscription-<id>`, ...), or null when it has none. */
export async function latestStripeSync(
  dataSource: DataSource,
  streams: string[],
  outbound: OutboundSync,
): Promise<RecordStripeSync | null> {
  const rows: SyncRow[] = await dataSource.query(
    `SELECT ${SYNC_COLUMNS}
       FROM (SELECT * FROM stripe_sync WHERE stream = ANY($1) AND event_position IS NOT NULL
              ORDER BY event_position DESC LIMIT 1) s
       ${retryJoin('s', 'a')}`,
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
      `SELECT ${SYNC_COLUMNS}, s.payment_id, s.amount, s.currency, s.stripe_ids->>'refund' AS refund_id
         FROM stripe_sync s ${retryJoin('s', 'a')}
        WHERE s.payment_id = ANY($1) AND s.command_event_type = 'RefundRequested'
        ORDER BY s.occurred_at, s.event_position`,
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
