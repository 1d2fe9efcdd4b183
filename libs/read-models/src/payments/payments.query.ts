import type { DataSource } from 'typeorm';
import type { CustomerRef, Page, Paged } from '../shared/paging';
import { type RowView, rowView } from '../shared/row-view';
import {
  chargesColumns,
  disputesColumns,
  paymentIntentsColumns,
  type PaymentMethodSummary,
  refundsColumns,
} from './payments.tables';

export type { PaymentMethodSummary } from './payments.tables';

export type RefundView = RowView<typeof refundsColumns>;
export type DisputeView = RowView<typeof disputesColumns>;

/** A charge (`ch_`, `py_`) with its refunds and disputes. */
export type ChargeView = RowView<typeof chargesColumns, { paymentMethod: PaymentMethodSummary | null }> & {
  object: 'charge';
  refunds: RefundView[];
  disputes: DisputeView[];
};

/** A payment intent (`pi_`) with its charges; its refunds are its charges' refunds. */
export type PaymentIntentView = RowView<typeof paymentIntentsColumns> & {
  object: 'payment_intent';
  amountRefunded: number;
  paymentMethod: PaymentMethodSummary | null;
  charges: ChargeView[];
};

export type PaymentView = ChargeView | PaymentIntentView;

/** A charge (`ch_`, `py_`) or payment intent (`pi_`) with its refunds and disputes; null when unknown. */
export async function findPayment(dataSource: DataSource, id: string): Promise<PaymentView | null> {
  const charges: Record<string, unknown>[] = await dataSource.query(`SELECT * FROM charges WHERE id = $1`, [id]);
  if (charges[0]) return (await chargeViews(dataSource, charges))[0]!;
  const intents: Record<string, unknown>[] = await dataSource.query(`SELECT * FROM payment_intents WHERE id = $1`, [
    id,
  ]);
  if (intents[0]) return (await intentViews(dataSource, intents))[0]!;
  return null;
}

/**
 * A customer's payments, newest first: payment intents (each with its charges), and charges made
 * without an intent (older integrations).
 */
export async function listCustomerPayments(
  dataSource: DataSource,
  customer: CustomerRef,
  page: Page,
): Promise<Paged<PaymentView>> {
  const rows: { kind: string; id: string }[] = await dataSource.query(
    `SELECT kind, id FROM (
        SELECT 'payment_intent' AS kind, id, stripe_created FROM payment_intents WHERE customer_stripe_id = ANY($1)
        UNION ALL
        SELECT 'charge', id, stripe_created FROM charges
         WHERE customer_stripe_id = ANY($1)
           AND (payment_intent_id IS NULL OR payment_intent_id NOT IN (SELECT id FROM payment_intents))
      ) p ORDER BY stripe_created DESC NULLS LAST, id LIMIT $2 OFFSET $3`,
    [customer.stripeIds, page.limit + 1, page.offset],
  );
  const shown = rows.slice(0, page.limit);
  const idsOf = (kind: string) => shown.filter((row) => row.kind === kind).map((row) => row.id);
  const [charges, intents]: Record<string, unknown>[][] = await Promise.all([
    dataSource.query(`SELECT * FROM charges WHERE id = ANY($1)`, [idsOf('charge')]),
    dataSource.query(`SELECT * FROM payment_intents WHERE id = ANY($1)`, [idsOf('payment_intent')]),
  ]);
  const views = [...(await chargeViews(dataSource, charges)), ...(await intentViews(dataSource, intents))];
  const byId = new Map(views.map((view) => [view.id, view]));
  return {
    data: shown.map((row) => byId.get(row.id)).filter((v): v is PaymentView => v !== undefined),
    limit: page.limit,
    offset: page.offset,
    hasMore: rows.length > page.limit,
  };
}

async function chargeViews(dataSource: DataSource, charges: Record<string, unknown>[]): Promise<ChargeView[]> {
  const ids = charges.map((c) => c.id);
  const refunds: Record<string, unknown>[] = await dataSource.query(
    `SELECT * FROM refunds WHERE charge_id = ANY($1) ORDER BY stripe_created, id`,
    [ids],
  );
  const disputes: Record<string, unknown>[] = await dataSource.query(
    `SELECT * FROM disputes WHERE charge_id = ANY($1) ORDER BY stripe_created, id`,
    [ids],
  );
  return charges.map((charge) => ({
    // payment_method as the projector writes it (payments.tables.ts).
    ...(rowView(charge, chargesColumns) as RowView<
      typeof chargesColumns,
      { paymentMethod: PaymentMethodSummary | null }
    >),
    object: 'charge',
    refunds: refunds.filter((r) => r.charge_id === charge.id).map((r) => rowView(r, refundsColumns)),
    disputes: disputes.filter((d) => d.charge_id === charge.id).map((d) => rowView(d, disputesColumns)),
  }));
}

async function intentViews(dataSource: DataSource, intents: Record<string, unknown>[]): Promise<PaymentIntentView[]> {
  const charges: Record<string, unknown>[] = await dataSource.query(
    `SELECT * FROM charges WHERE payment_intent_id = ANY($1) ORDER BY stripe_created, id`,
    [intents.map((i) => i.id)],
  );
  const chargeList = await chargeViews(dataSource, charges);
  return intents.map((intent) => {
    const own = chargeList.filter((c) => c.paymentIntentId === intent.id);
    return {
      ...rowView(intent, paymentIntentsColumns),
      object: 'payment_intent',
      // An intent's refunds are its charges' refunds.
      amountRefunded: own.reduce((sum, c) => sum + (Number(c.amountRefunded) || 0), 0),
      paymentMethod: own.at(-1)?.paymentMethod ?? null,
      charges: own,
    };
  });
}
