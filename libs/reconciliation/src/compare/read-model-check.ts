import type { ReadModelMoney } from '@ledgerline/read-models';
import { eventIdForStripeEvent } from '@ledgerline/stripe';
import { type LedgerEntry, type LedgerField } from '../ledger/ledger-book';
import { dayOf } from '../period';
import { type Finding, sortFindings } from './findings';
import { fieldValueText } from './money-text';

/** The ledger fields the read models can be summed into, and the table each comes from. */
export const READ_MODEL_FIELDS: Partial<Record<LedgerField, string>> = {
  grossCharges: 'charges',
  charges: 'charges',
  refundsByPlatform: 'refunds',
  refundsByStripe: 'refunds',
  disputeWithdrawals: 'disputes',
  disputeReinstatements: 'disputes',
  invoicesPaid: 'invoices',
  invoicesPaidAmount: 'invoices',
};

export interface ReadModelCheck {
  findings: Finding[];
  /** Read-model rows compared. */
  rows: number;
  /** Objects a read model holds from events after the run's position: left out on both sides. */
  newerThanPosition: string[];
}

/**
 * Read-model totals that differ from the event-derived ledger (a projection bug, or a read model
 * that lost or doubled a write). The read models' rows are put through the ledger's own rules,
 * summed per field, day, currency and account, and each sum that differs is a finding naming the
 * objects whose share differs. Objects a read model already holds from events past `position`
 * cannot be compared with a book folded up to it, and are left out on both sides.
 */
export function checkReadModels(
  bookEntries: LedgerEntry[],
  money: ReadModelMoney,
  position: bigint,
  period: { from: number; to: number },
): ReadModelCheck {
  const rows = [...money.charges, ...money.refunds, ...money.disputes, ...money.invoices];
  const newer = new Set(rows.filter((row) => row.lastEventPosition > position).map((row) => row.id));
  const counted = (entry: { objectId: string; field: LedgerField }) =>
    READ_MODEL_FIELDS[entry.field] !== undefined && !newer.has(entry.objectId);
  const fromEvents = bookEntries.filter(counted);
  const fromReadModels = readModelEntries(money, period).filter(counted);

  const buckets = new Map<string, { events: LedgerEntry[]; readModels: LedgerEntry[] }>();
  const bucketOf = (entry: LedgerEntry) => {
    const key = `${entry.field}|${entry.day}|${entry.currency}|${entry.account ?? ''}`;
    let bucket = buckets.get(key);
    if (!bucket) buckets.set(key, (bucket = { events: [], readModels: [] }));
    return bucket;
  };
  fromEvents.forEach((entry) => bucketOf(entry).events.push(entry));
  fromReadModels.forEach((entry) => bucketOf(entry).readModels.push(entry));

  const findings: Finding[] = [];
  for (const { events, readModels } of buckets.values()) {
    const expected = sum(events);
    const actual = sum(readModels);
    if (expected === actual) continue;
    const { field, day, currency, account } = (events[0] ?? readModels[0])!;
    const differing = objectsThatDiffer(events, readModels);
    const table = READ_MODEL_FIELDS[field]!;
    findings.push({
      kind: 'read_model_differs',
      message:
        `The ${table} read model gives ${field} ${fieldValueText(field, actual, currency)} in ${currency.toUpperCase()} ` +
        `on ${day}${account ? ` (${account})` : ''}; the events give ${fieldValueText(field, expected, currency)}. ` +
        `Objects that differ: ${differing.join(', ')}`,
      stripeIds: differing,
      eventIds: unique(
        [...events, ...readModels].filter((entry) => differing.includes(entry.objectId)).map((entry) => entry.eventId),
      ),
      currency,
      expected,
      actual,
      readModel: { table, field, day, account },
    });
  }
  return { findings: sortFindings(findings), rows: rows.length, newerThanPosition: [...newer].sort() };
}

/** The read models' rows as ledger entries, by the same rules `LedgerBook.entries` applies to facts. */
function readModelEntries(money: ReadModelMoney, period: { from: number; to: number }): LedgerEntry[] {
  const found: LedgerEntry[] = [];
  const add = (
    row: { id: string; account: string | null; lastEventId: string },
    field: LedgerField,
    at: number | null,
    currency: string | null,
    amount: number,
  ) => {
    if (at === null || at < period.from || at >= period.to || amount === 0 || !currency) return;
    found.push({
      field,
      day: dayOf(at),
      currency,
      account: row.account,
      objectId: row.id,
      // The read models name a Stripe event by Stripe's id; the report names store events.
      eventId: row.lastEventId.startsWith('evt_') ? eventIdForStripeEvent(row.lastEventId) : row.lastEventId,
      amount,
    });
  };
  for (const row of money.charges) {
    const succeeded = row.status === 'succeeded' || (row.status === null && row.paid === true);
    const captured = row.amountCaptured ?? row.amount ?? 0;
    if (!succeeded || captured <= 0) continue;
    add(row, 'grossCharges', row.created, row.currency, captured);
    add(row, 'charges', row.created, row.currency, 1);
  }
  for (const row of money.refunds) {
    if (row.status === 'failed' || row.status === 'canceled') continue;
    const field = row.initiatedBy === 'platform' ? 'refundsByPlatform' : 'refundsByStripe';
    add(row, field, row.created, row.currency, row.amount ?? 0);
  }
  for (const row of money.disputes) {
    for (const fund of row.funds) {
      if (fund.amount === null) continue;
      const at = fund.at ?? row.created;
      const currency = fund.currency ?? row.currency;
      if (fund.amount < 0) add(row, 'disputeWithdrawals', at, currency, -fund.amount);
      else add(row, 'disputeReinstatements', at, currency, fund.amount);
    }
  }
  for (const row of money.invoices) {
    if (row.status !== 'paid') continue;
    add(row, 'invoicesPaid', row.paidAt, row.currency, 1);
    add(row, 'invoicesPaidAmount', row.paidAt, row.currency, row.amountPaid ?? 0);
  }
  return found;
}

function objectsThatDiffer(events: LedgerEntry[], readModels: LedgerEntry[]): string[] {
  const shares = new Map<string, number>();
  events.forEach((entry) => shares.set(entry.objectId, (shares.get(entry.objectId) ?? 0) + entry.amount));
  readModels.forEach((entry) => shares.set(entry.objectId, (shares.get(entry.objectId) ?? 0) - entry.amount));
  return [...shares]
    .filter(([, difference]) => difference !== 0)
    .map(([id]) => id)
    .sort();
}

const sum = (entries: LedgerEntry[]) => entries.reduce((total, entry) => total + entry.amount, 0);
const unique = (ids: string[]) => [...new Set(ids)].sort();
