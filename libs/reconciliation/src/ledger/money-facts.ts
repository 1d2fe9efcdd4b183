import type { RecordedEvent } from '@ledgerline/event-store';
import { listData, normaliseStripeObject, num, obj, refId, REFUND_METADATA, str, type Json } from '@ledgerline/events';

/** A balance transaction as far as a Stripe object carries it (expanded), or just its id. */
export interface CarriedBalanceTransaction {
  id: string;
  amount: number | null;
  fee: number | null;
  currency: string | null;
  created: number | null;
}

export interface ChargeFact {
  kind: 'charge';
  id: string;
  currency: string;
  /** What was captured (the amount for a charge captured whole). */
  captured: number;
  created: number;
  succeeded: boolean;
  customer: string | null;
  invoice: string | null;
  paymentIntent: string | null;
  balanceTransaction: CarriedBalanceTransaction | null;
}

export interface RefundFact {
  kind: 'refund';
  id: string;
  charge: string | null;
  currency: string;
  amount: number;
  created: number;
  /** Pending and succeeded refunds move money; failed and canceled ones do not. */
  effective: boolean;
  /** `platform` when the platform asked for it (our metadata on the refund), else `stripe`. */
  initiatedBy: 'platform' | 'stripe';
  /** The RefundRequested event the Stripe sync carried out, from the refund's metadata. */
  platformCommandEventId: string | null;
  balanceTransaction: CarriedBalanceTransaction | null;
}

export interface DisputeFact {
  kind: 'dispute';
  id: string;
  charge: string | null;
  currency: string;
  created: number;
  /** Withdrawals (negative) and reinstatements (positive), with Stripe's dispute fees. */
  balanceTransactions: CarriedBalanceTransaction[];
}

export interface InvoiceFact {
  kind: 'invoice';
  id: string;
  currency: string;
  paid: boolean;
  paidAt: number | null;
  amountPaid: number;
  /** Customer credit the invoice consumed (its balance went from `starting` up towards 0). */
  paidFromBalance: number;
  paidOutOfBand: boolean;
  charge: string | null;
  paymentIntent: string | null;
  subscription: string | null;
  customer: string | null;
}

/** One change of a customer's balance, as one event showed it (`previous_attributes.balance`). */
export interface BalanceChangeFact {
  kind: 'balance_change';
  /** The Stripe event id: a change is a fact of its event, not of the customer's latest snapshot. */
  id: string;
  customer: string;
  currency: string;
  delta: number;
  created: number;
}

export type StripeMoneyFact = ChargeFact | RefundFact | DisputeFact | InvoiceFact | BalanceChangeFact;

/** The Connect account a stored Stripe event belongs to (null: the platform account). */
export function stripeAccountOf(event: RecordedEvent): string | null {
  const account = (event.data as { account?: unknown }).account;
  return typeof account === 'string' ? account : (event.metadata.stripeAccount ?? null);
}

/**
 * The money facts a Stripe event carries: the charge, refund, dispute or invoice it is about (and
 * the refunds nested in a charge), or the customer balance change it reports. Read from the whole
 * stored event with the API-version normaliser every projector uses; null fields stay null.
 */
export function stripeMoneyFactsOf(event: RecordedEvent): StripeMoneyFact[] {
  const source = event.metadata.source;
  if (source !== 'stripe' && source !== 'backfill') return [];
  const payload = event.data as {
    id?: unknown;
    created?: unknown;
    data?: { object?: unknown; previous_attributes?: unknown };
  };
  const raw = obj(payload.data?.object);
  if (!raw) return [];
  const object = normaliseStripeObject(raw);
  switch (object.object) {
    case 'charge': {
      const charge = chargeFact(object);
      const refunds = listData(object.refunds).flatMap(
        (refund) => refundFact({ ...refund, charge: refund.charge ?? object.id }) ?? [],
      );
      return [...(charge ? [charge] : []), ...refunds];
    }
    case 'refund':
      return [refundFact(object)].filter((fact): fact is RefundFact => fact !== null);
    case 'dispute':
      return [disputeFact(object)].filter((fact): fact is DisputeFact => fact !== null);
    case 'invoice':
      return [invoiceFact(object)].filter((fact): fact is InvoiceFact => fact !== null);
    case 'customer': {
      const change = balanceChangeOf(
        object,
        obj(payload.data?.previous_attributes),
        str(payload.id) ?? event.id,
        num(payload.created),
      );
      return change ? [change] : [];
    }
    default:
      return [];
  }
}

function carried(value: unknown): CarriedBalanceTransaction | null {
  const id = refId(value);
  if (!id) return null;
  const bt = obj(value);
  return { id, amount: num(bt?.amount), fee: num(bt?.fee), currency: str(bt?.currency), created: num(bt?.created) };
}

function chargeFact(charge: Json): ChargeFact | null {
  const id = str(charge.id);
  const currency = str(charge.currency);
  const amount = num(charge.amount);
  if (!id || !currency || amount === null) return null;
  const captured = charge.captured === false ? 0 : (num(charge.amount_captured) ?? amount);
  return {
    kind: 'charge',
    id,
    currency,
    captured,
    created: num(charge.created) ?? 0,
    succeeded: str(charge.status) === 'succeeded' || (charge.status === undefined && charge.paid === true),
    customer: refId(charge.customer),
    invoice: refId(charge.invoice),
    paymentIntent: refId(charge.payment_intent),
    balanceTransaction: carried(charge.balance_transaction),
  };
}

function refundFact(refund: Json): RefundFact | null {
  const id = str(refund.id);
  const currency = str(refund.currency);
  const amount = num(refund.amount);
  if (!id || !currency || amount === null) return null;
  const command = str(obj(refund.metadata)?.[REFUND_METADATA.commandEventId]);
  const status = str(refund.status);
  return {
    kind: 'refund',
    id,
    charge: refId(refund.charge),
    currency,
    amount,
    created: num(refund.created) ?? 0,
    effective: status !== 'failed' && status !== 'canceled',
    initiatedBy: command ? 'platform' : 'stripe',
    platformCommandEventId: command,
    balanceTransaction: carried(refund.balance_transaction),
  };
}

function disputeFact(dispute: Json): DisputeFact | null {
  const id = str(dispute.id);
  const currency = str(dispute.currency);
  if (!id || !currency) return null;
  return {
    kind: 'dispute',
    id,
    charge: refId(dispute.charge),
    currency,
    created: num(dispute.created) ?? 0,
    balanceTransactions: listData(dispute.balance_transactions).flatMap((bt) => carried(bt) ?? []),
  };
}

function invoiceFact(invoice: Json): InvoiceFact | null {
  const id = str(invoice.id);
  const currency = str(invoice.currency);
  if (!id || !currency) return null;
  const starting = num(invoice.starting_balance) ?? 0;
  const ending = num(invoice.ending_balance) ?? starting;
  const transitions = obj(invoice.status_transitions);
  return {
    kind: 'invoice',
    id,
    currency,
    paid: str(invoice.status) === 'paid' || invoice.paid === true,
    paidAt: num(transitions?.paid_at) ?? null,
    amountPaid: num(invoice.amount_paid) ?? 0,
    // A credit is a negative balance: what the invoice used of it moved the balance up.
    paidFromBalance: starting < 0 ? Math.max(0, Math.min(ending, 0) - starting) : 0,
    paidOutOfBand: invoice.paid_out_of_band === true,
    charge: refId(invoice.charge),
    paymentIntent: refId(invoice.payment_intent),
    subscription: refId(invoice.subscription),
    customer: refId(invoice.customer),
  };
}

function balanceChangeOf(
  customer: Json,
  previous: Json | null,
  eventId: string,
  created: number | null,
): BalanceChangeFact | null {
  const before = num(previous?.balance);
  const after = num(customer.balance);
  const id = str(customer.id);
  if (before === null || after === null || !id || before === after) return null;
  return {
    kind: 'balance_change',
    id: eventId,
    customer: id,
    currency: str(customer.currency) ?? 'unknown',
    delta: after - before,
    created: created ?? 0,
  };
}
