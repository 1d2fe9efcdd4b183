import type { LedgerBook } from '../ledger/ledger-book';
import type { ChargeFact, InvoiceFact, RefundFact } from '../ledger/money-facts';
import type { BalanceTransaction, BalanceTransactionSource } from './balance-transactions';
import { moneyText } from './money-text';

export type FindingKind =
  | 'missing_in_events'
  | 'missing_in_stripe'
  | 'amount_differs'
  | 'currency_differs'
  | 'counted_twice'
  | 'platform_refund_not_in_stripe'
  | 'platform_refund_amount_differs'
  | 'stripe_refund_not_in_events'
  | 'paid_invoice_without_payment'
  | 'payment_without_invoice'
  | 'read_model_differs';

/** One discrepancy, with the Stripe ids and store events behind it. */
export interface Finding {
  kind: FindingKind;
  message: string;
  stripeIds: string[];
  eventIds: string[];
  currency: string | null;
  /**
   * Platform's figure and Stripe's, in minor units, where the finding is about an amount; for a
   * `read_model_differs` finding on a count field (`charges`, `invoicesPaid`), a count.
   */
  expected: number | null;
  actual: number | null;
  /** For `read_model_differs`: the table, ledger field and line whose sums differ. */
  readModel?: { table: string; field: string; day: string; account: string | null };
}

interface Period {
  from: number;
  to: number;
}

/**
 * The discrepancies between the events' money (the book) and Stripe's balance transactions over a
 * period, sorted by kind then Stripe ids so that a report is byte-identical for the same inputs.
 * Facts are in the period by their own time (a charge's or refund's `created`, an invoice's
 * `paid_at`); balance transactions by theirs.
 */
export function findDiscrepancies(
  book: LedgerBook,
  transactions: BalanceTransaction[],
  source: BalanceTransactionSource,
  period: Period,
): Finding[] {
  const within = (time: number) => time >= period.from && time < period.to;
  const held = book.held();
  const eventOf = (key: string) => book.heldFact(key)?.eventId;
  const charges = held.flatMap((h) => (h.fact.kind === 'charge' ? [h.fact] : []));
  const refunds = held.flatMap((h) => (h.fact.kind === 'refund' ? [h.fact] : []));
  const invoices = held.flatMap((h) => (h.fact.kind === 'invoice' ? [h.fact] : []));
  const known = new Set(held.map((h) => h.fact.id));
  const bySource = new Map<string, BalanceTransaction[]>();
  for (const bt of transactions) {
    if (bt.source) bySource.set(bt.source, [...(bySource.get(bt.source) ?? []), bt]);
  }
  const findings: Finding[] = [];
  const add = (finding: Omit<Finding, 'eventIds'>, keys: string[]) =>
    findings.push({ ...finding, eventIds: keys.flatMap((key) => eventOf(key) ?? []) });

  for (const bt of transactions.filter((t) => within(t.created) && t.source && !known.has(t.source))) {
    const refund = bt.source!.startsWith('re_') || bt.source!.startsWith('pyr_');
    add(
      {
        kind: refund ? 'stripe_refund_not_in_events' : 'missing_in_events',
        message: refund
          ? `Stripe refunded ${bt.source} (${moneyText(-bt.amount, bt.currency)}) and the platform never saw it`
          : `Stripe moved ${moneyText(bt.amount, bt.currency)} for ${bt.source} and no stored event mentions it (a missed webhook?)`,
        stripeIds: [bt.id, bt.source!],
        currency: bt.currency,
        expected: null,
        actual: bt.amount,
      },
      [],
    );
  }

  const moved = (fact: ChargeFact | RefundFact): number => (fact.kind === 'charge' ? fact.captured : -fact.amount);
  const counts = (fact: ChargeFact | RefundFact) =>
    fact.kind === 'charge' ? fact.succeeded && fact.captured > 0 : fact.effective;
  for (const fact of [...charges, ...refunds].filter((f) => within(f.created) && counts(f))) {
    const key = `${fact.kind}/${fact.id}`;
    const bts = (bySource.get(fact.id) ?? []).filter((bt) => bt.type === fact.kind || bt.type === 'payment');
    if (!bts.length) {
      if (source === 'stripe_api') {
        add(
          {
            kind: 'missing_in_stripe',
            message: `The events show ${fact.kind} ${fact.id} (${moneyText(moved(fact), fact.currency)}); Stripe has no balance transaction for it`,
            stripeIds: [fact.id],
            currency: fact.currency,
            expected: moved(fact),
            actual: null,
          },
          [key],
        );
      }
      continue;
    }
    if (bts.length > 1) {
      add(
        {
          kind: 'counted_twice',
          message: `${fact.id} has ${bts.length} balance transactions: the money moved more than once`,
          stripeIds: [fact.id, ...bts.map((bt) => bt.id)],
          currency: fact.currency,
          expected: moved(fact),
          actual: bts.reduce((sum, bt) => sum + bt.amount, 0),
        },
        [key],
      );
      continue;
    }
    const bt = bts[0]!;
    if (bt.currency !== fact.currency) {
      add(
        {
          kind: 'currency_differs',
          message: `${fact.id} is in ${fact.currency} in the events and ${bt.currency} in Stripe's balance`,
          stripeIds: [fact.id, bt.id],
          currency: fact.currency,
          expected: null,
          actual: null,
        },
        [key],
      );
    } else if (bt.amount !== moved(fact)) {
      add(
        {
          kind: 'amount_differs',
          message: `${fact.id}: the events say ${moneyText(moved(fact), fact.currency)}, Stripe's balance ${moneyText(bt.amount, bt.currency)}`,
          stripeIds: [fact.id, bt.id],
          currency: fact.currency,
          expected: moved(fact),
          actual: bt.amount,
        },
        [key],
      );
    }
  }

  // One payment intent or one invoice paid by two succeeded charges.
  const paidBy = new Map<string, ChargeFact[]>();
  for (const charge of charges.filter((c) => within(c.created) && c.succeeded && c.captured > 0)) {
    for (const owner of [charge.paymentIntent, charge.invoice]) {
      if (owner) paidBy.set(owner, [...(paidBy.get(owner) ?? []), charge]);
    }
  }
  for (const [owner, paying] of [...paidBy].filter(([, list]) => list.length > 1)) {
    add(
      {
        kind: 'counted_twice',
        message: `${owner} was paid by ${paying.length} charges: ${paying.map((c) => c.id).join(', ')}`,
        stripeIds: [owner, ...paying.map((c) => c.id)],
        currency: paying[0]!.currency,
        expected: paying[0]!.captured,
        actual: paying.reduce((sum, c) => sum + c.captured, 0),
      },
      paying.map((c) => `charge/${c.id}`),
    );
  }

  const refundById = new Map(refunds.map((r) => [r.id, r]));
  for (const request of book.refundRequests().filter((r) => within(r.requestedAt))) {
    const refund = request.stripeRefundId ? refundById.get(request.stripeRefundId) : undefined;
    if (!refund || !refund.effective) {
      findings.push({
        kind: 'platform_refund_not_in_stripe',
        message: `The platform asked to refund ${moneyText(request.amount, request.currency)} of ${request.chargeId ?? request.paymentIntentId}; Stripe never reflected it`,
        stripeIds: [
          request.chargeId ?? request.paymentIntentId ?? '',
          ...(request.stripeRefundId ? [request.stripeRefundId] : []),
        ].filter(Boolean),
        eventIds: [request.eventId],
        currency: request.currency,
        expected: request.amount,
        actual: refund?.effective === false ? 0 : null,
      });
    } else if (refund.amount !== request.amount || refund.currency !== request.currency) {
      findings.push({
        kind: 'platform_refund_amount_differs',
        message: `The platform asked to refund ${moneyText(request.amount, request.currency)}; Stripe refunded ${moneyText(refund.amount, refund.currency)} (${refund.id})`,
        stripeIds: [refund.id],
        eventIds: [request.eventId, eventOf(`refund/${refund.id}`) ?? ''].filter(Boolean),
        currency: request.currency,
        expected: request.amount,
        actual: refund.amount,
      });
    }
  }

  const chargeIds = new Set(charges.map((c) => c.id));
  const intents = new Set(charges.flatMap((c) => (c.paymentIntent ? [c.paymentIntent] : [])));
  const invoiceIds = new Set(invoices.map((i) => i.id));
  for (const invoice of invoices.filter((i) => paidWithMoney(i) && within(i.paidAt ?? 0))) {
    const paid =
      (invoice.charge && chargeIds.has(invoice.charge)) ||
      (invoice.paymentIntent && intents.has(invoice.paymentIntent));
    if (!paid) {
      add(
        {
          kind: 'paid_invoice_without_payment',
          message: `Invoice ${invoice.id} is paid (${moneyText(invoice.amountPaid, invoice.currency)} by card or bank) but no charge for it is in the events`,
          stripeIds: [invoice.id, ...[invoice.charge, invoice.paymentIntent].filter((id): id is string => !!id)],
          currency: invoice.currency,
          expected: invoice.amountPaid,
          actual: null,
        },
        [`invoice/${invoice.id}`],
      );
    }
  }
  for (const charge of charges.filter(
    (c) => within(c.created) && c.succeeded && c.invoice && !invoiceIds.has(c.invoice),
  )) {
    add(
      {
        kind: 'payment_without_invoice',
        message: `Charge ${charge.id} pays invoice ${charge.invoice}, which no stored event mentions`,
        stripeIds: [charge.id, charge.invoice!],
        currency: charge.currency,
        expected: null,
        actual: charge.captured,
      },
      [`charge/${charge.id}`],
    );
  }
  return sortFindings(findings);
}

/** By kind, then the line a read-model finding is about, then Stripe ids: a total order for the report. */
export function sortFindings(findings: Finding[]): Finding[] {
  const key = (f: Finding) =>
    [
      f.kind,
      f.readModel ? `${f.readModel.day}|${f.currency}|${f.readModel.account ?? ''}|${f.readModel.field}` : '',
      f.stripeIds.join(','),
    ].join('|');
  return findings.sort((a, b) => compare(key(a), key(b)));
}

/**
 * Paid with money that should show as a charge: not out of band, and `amount_paid` above zero
 * (Stripe takes customer credit off `amount_due` first, so an invoice covered by credit pays 0).
 */
function paidWithMoney(invoice: InvoiceFact): boolean {
  return invoice.paid && !invoice.paidOutOfBand && invoice.amountPaid > 0;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
