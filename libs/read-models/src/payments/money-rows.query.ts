import type { DataSource } from 'typeorm';

/** What every money row carries: the object, its Connect account and the event that last wrote it. */
interface MoneyRowBase {
  id: string;
  account: string | null;
  currency: string | null;
  lastEventId: string;
  lastEventPosition: bigint;
}

export interface ChargeMoneyRow extends MoneyRowBase {
  status: string | null;
  paid: boolean | null;
  amount: number | null;
  amountCaptured: number | null;
  /** Unix seconds. */
  created: number | null;
}

export interface RefundMoneyRow extends MoneyRowBase {
  status: string | null;
  amount: number | null;
  initiatedBy: string | null;
  created: number | null;
}

export interface DisputeMoneyRow extends MoneyRowBase {
  funds: { amount: number | null; fee: number | null; currency: string | null; at: number | null }[];
  created: number | null;
}

export interface InvoiceMoneyRow extends MoneyRowBase {
  status: string | null;
  amountPaid: number | null;
  paidAt: number | null;
}

/** The money the payments and invoices read models hold for a period, for reconciliation. */
export interface ReadModelMoney {
  charges: ChargeMoneyRow[];
  refunds: RefundMoneyRow[];
  disputes: DisputeMoneyRow[];
  invoices: InvoiceMoneyRow[];
}

const BASE = `id, account, currency, last_event_id, last_event_position::text AS last_event_position`;
const epoch = (column: string) => `extract(epoch FROM ${column})::bigint AS ${column}`;

/**
 * The rows of `charges`, `refunds`, `disputes` and `invoices` whose money falls in [from, to) (Unix
 * seconds) by the ledger's dates: created for charges and refunds, each fund's own time for
 * disputes, `paid_at` for invoices. Read as they are: deciding what counts is the caller's rule.
 */
export async function readModelMoney(dataSource: DataSource, from: number, to: number): Promise<ReadModelMoney> {
  const period = [new Date(from * 1000).toISOString(), new Date(to * 1000).toISOString()];
  const [charges, refunds, disputes, invoices] = await Promise.all([
    dataSource.query(
      `SELECT ${BASE}, status, paid, amount, amount_captured, ${epoch('stripe_created')}
         FROM charges WHERE stripe_created >= $1 AND stripe_created < $2`,
      period,
    ),
    dataSource.query(
      `SELECT ${BASE}, status, amount, initiated_by, ${epoch('stripe_created')}
         FROM refunds WHERE stripe_created >= $1 AND stripe_created < $2`,
      period,
    ),
    dataSource.query(
      `SELECT ${BASE}, funds, ${epoch('stripe_created')} FROM disputes d
        WHERE EXISTS (SELECT 1 FROM jsonb_array_elements(CASE jsonb_typeof(d.funds) WHEN 'array' THEN d.funds ELSE '[]' END) f
                       WHERE (f->>'at')::timestamptz >= $1 AND (f->>'at')::timestamptz < $2)`,
      period,
    ),
    dataSource.query(
      `SELECT ${BASE}, status, amount_paid, ${epoch('paid_at')}
         FROM invoices WHERE paid_at >= $1 AND paid_at < $2`,
      period,
    ),
  ]);
  return {
    charges: (charges as Record<string, unknown>[]).map((row) => ({
      ...base(row),
      status: row.status as string | null,
      paid: row.paid as boolean | null,
      amount: int(row.amount),
      amountCaptured: int(row.amount_captured),
      created: int(row.stripe_created),
    })),
    refunds: (refunds as Record<string, unknown>[]).map((row) => ({
      ...base(row),
      status: row.status as string | null,
      amount: int(row.amount),
      initiatedBy: row.initiated_by as string | null,
      created: int(row.stripe_created),
    })),
    disputes: (disputes as Record<string, unknown>[]).map((row) => ({
      ...base(row),
      funds: (Array.isArray(row.funds) ? (row.funds as Record<string, unknown>[]) : []).map((fund) => ({
        amount: int(fund.amount),
        fee: int(fund.fee),
        currency: typeof fund.currency === 'string' ? fund.currency : null,
        at: typeof fund.at === 'string' ? Math.floor(Date.parse(fund.at) / 1000) : null,
      })),
      created: int(row.stripe_created),
    })),
    invoices: (invoices as Record<string, unknown>[]).map((row) => ({
      ...base(row),
      status: row.status as string | null,
      amountPaid: int(row.amount_paid),
      paidAt: int(row.paid_at),
    })),
  };
}

function base(row: Record<string, unknown>): MoneyRowBase {
  return {
    id: String(row.id),
    account: (row.account as string | null) ?? null,
    currency: (row.currency as string | null) ?? null,
    lastEventId: String(row.last_event_id),
    lastEventPosition: BigInt(String(row.last_event_position)),
  };
}

/** bigint columns arrive as strings from pg. */
function int(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}
