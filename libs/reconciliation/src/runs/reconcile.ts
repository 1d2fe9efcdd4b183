import type Stripe from 'stripe';
import type { DataSource } from 'typeorm';
import type { EventFilter, EventStore, RecordedEvent } from '@ledgerline/event-store';
import { ProjectionStore, waitForProjections } from '@ledgerline/projections';
import { type ReadModelMoney, readModelMoney } from '@ledgerline/read-models';
import { type BalanceTransaction, balanceTransactionsFromEvents } from '../compare/balance-transactions';
import { findDiscrepancies, sortFindings } from '../compare/findings';
import { checkReadModels } from '../compare/read-model-check';
import { balanceTransactionsFromStripe } from '../compare/stripe-balance';
import { LedgerBook, type LedgerEntry } from '../ledger/ledger-book';
import { dayOf } from '../period';
import type { MoneyDigest } from '../ledger/money-digest';
import { DigestWriter } from '../digests/digest-writer';
import { digestedEvent, MoneyDigests } from '../digests/money-digests';
import { type ReadModelsChecked, type ReconciliationInput, type ReconciliationReport, reportOf } from './report';

/**
 * The streams that carry money: Stripe's charges, refunds, disputes, invoices and customers (balance
 * changes), and the platform's payment streams (refund requests). Nothing else is read.
 */
export const MONEY_EVENTS: EventFilter = {
  categories: ['stripe_charge', 'stripe_refund', 'stripe_dispute', 'stripe_invoice', 'stripe_customer', 'payment'],
};

/** The projectors whose tables the read-model check sums. */
export const CHECKED_PROJECTIONS = ['payments', 'invoices'];

export interface ReconciliationProgress {
  phase: 'events' | 'stripe' | 'read_models';
  eventsRead: number;
  /** Of the events read, how many came as digests kept by earlier runs (MoneyDigests). */
  fromDigests: number;
  /** How far the read has come, and where it stops (the head when the run started). */
  scanned: bigint;
  position: bigint;
}

export interface ReconcileDependencies {
  store: EventStore;
  /** The read models' database. */
  dataSource: DataSource;
  /** Stripe's API; null: the balance transactions the events carry. */
  stripe: Stripe | null;
  onProgress?: (progress: ReconciliationProgress) => void;
  /** How long to wait for the checked projectors to reach the run's position before skipping the check. */
  readModelWaitMs?: number;
  batchSize?: number;
  signal?: AbortSignal;
  /**
   * Read the money digests earlier runs kept, and keep this run's (default). False reads every
   * event's whole body and keeps nothing: the same report, from the events alone.
   */
  digests?: boolean;
}

/**
 * A reconciliation: the money events up to the store's head (fixed when the run starts, and stated
 * in the report) folded into a ledger, compared with Stripe's balance transactions and with the
 * read models. The same events and inputs give a byte-identical report.
 */
export async function reconcile(
  input: ReconciliationInput,
  deps: ReconcileDependencies,
): Promise<ReconciliationReport> {
  const position = await deps.store.headPosition();
  const book = new LedgerBook();
  const accounts = new Set<string | null>([null]);
  const only = input.account ?? null;
  const add = (digest: MoneyDigest) => {
    // A platform event belongs to the platform account; a Stripe event to the account it came from.
    if (only !== null && (digest.platform || digest.account !== only)) return;
    if (!digest.platform) accounts.add(digest.account);
    book.addDigest(digest);
  };
  let eventsRead = 0;
  let fromDigests = 0;
  const progress = (phase: ReconciliationProgress['phase'], scanned: bigint) =>
    deps.onProgress?.({ phase, eventsRead, fromDigests, scanned, position });

  // What earlier runs digested, then the events after it (whose digests this run keeps in turn).
  const kept = deps.digests === false ? null : new MoneyDigests(deps.dataSource);
  let from = 0n;
  if (kept) {
    const covered = await kept.coveredTo(deps.store);
    from = covered < position ? covered : position;
    for await (const page of kept.read(from)) {
      deps.signal?.throwIfAborted();
      page.digests.forEach(add);
      eventsRead += page.events;
      fromDigests += page.events;
      progress('events', page.to);
    }
  }
  const writer = kept ? new DigestWriter(kept, from) : null;
  for await (const batch of readMoneyEvents(deps.store, from, position, deps.batchSize ?? 2_000)) {
    deps.signal?.throwIfAborted();
    const digested = batch.events.map(digestedEvent);
    for (const { digest } of digested) if (digest) add(digest);
    await writer?.add(batch.scanned, digested);
    eventsRead += batch.events.length;
    progress('events', batch.scanned);
  }
  await writer?.finish();

  progress('stripe', position);
  const period = { from: input.from, to: input.to };
  let transactions: BalanceTransaction[];
  if (deps.stripe) {
    const listed = input.account ? [input.account] : [...accounts].sort(nullFirst);
    transactions = [];
    for (const account of listed) {
      const listed = await balanceTransactionsFromStripe(deps.stripe, period, account ?? undefined);
      transactions.push(...listed.map((txn) => ({ ...txn, account })));
    }
  } else {
    transactions = balanceTransactionsFromEvents(book);
  }
  const source = deps.stripe ? 'stripe_api' : 'events';
  const inPeriod = transactions.filter((txn) => txn.created >= input.from && txn.created < input.to);
  const entries = deps.stripe
    ? withStripeFees(book.entries(input.from, input.to), inPeriod)
    : book.entries(input.from, input.to);
  const findings = findDiscrepancies(book, transactions, source, period);

  progress('read_models', position);
  const readModels = await checkReadModelsAt(deps, position, input, entries);
  return reportOf({
    input,
    position,
    eventsRead,
    balanceTransactions: { source, count: inPeriod.length },
    readModels: readModels.checked,
    entries,
    findings: sortFindings([...findings, ...readModels.findings]),
  });
}

/** The money events after `from` up to `upTo`, a batch at a time, with how far each batch scanned. */
async function* readMoneyEvents(
  store: EventStore,
  from: bigint,
  upTo: bigint,
  batchSize: number,
): AsyncGenerator<{ events: RecordedEvent[]; scanned: bigint }> {
  let after = from;
  while (after < upTo) {
    const read = await store.readAll({ from: after, maxCount: batchSize, filter: MONEY_EVENTS });
    // A read that got nowhere has nothing more stored up to the bound.
    const scanned = read.nextFrom > after && read.nextFrom < upTo ? read.nextFrom : upTo;
    yield { events: read.events.filter((event) => event.position <= upTo), scanned };
    after = scanned;
  }
}

/**
 * With Stripe's balance transactions at hand, the fees are Stripe's own (on the day it charged them),
 * not those the few events with an expanded balance transaction happen to carry.
 */
function withStripeFees(entries: LedgerEntry[], transactions: BalanceTransaction[]): LedgerEntry[] {
  return [
    ...entries.filter((entry) => entry.field !== 'fees'),
    ...transactions
      .filter((txn) => txn.fee !== 0)
      .map((txn) => ({
        field: 'fees' as const,
        day: dayOf(txn.created),
        currency: txn.currency,
        account: txn.account ?? null,
        objectId: txn.source ?? txn.id,
        eventId: '',
        amount: txn.fee,
      })),
  ];
}

async function checkReadModelsAt(
  deps: ReconcileDependencies,
  position: bigint,
  input: ReconciliationInput,
  entries: ReturnType<LedgerBook['entries']>,
): Promise<{ checked: ReadModelsChecked; findings: ReturnType<typeof checkReadModels>['findings'] }> {
  const behind = await waitForCheckedProjections(deps, position);
  if (behind) {
    return {
      checked: { checked: false, reason: behind, rows: 0, newerThanPosition: [] },
      findings: [],
    };
  }
  const money = await readModelMoney(deps.dataSource, input.from, input.to);
  const scoped = input.account ? filterMoney(money, input.account) : money;
  const check = checkReadModels(entries, scoped, position, input);
  return {
    checked: { checked: true, reason: null, rows: check.rows, newerThanPosition: check.newerThanPosition },
    findings: check.findings,
  };
}

/** Null when every checked projector has reached `position`, else why the check is skipped. */
async function waitForCheckedProjections(deps: ReconcileDependencies, position: bigint): Promise<string | null> {
  const lagging = await waitForProjections(new ProjectionStore(deps.dataSource), CHECKED_PROJECTIONS, position, {
    timeoutMs: deps.readModelWaitMs ?? 30_000,
    signal: deps.signal,
  });
  return lagging.length ? `read models behind the run's position ${position}: ${lagging.join(', ')}` : null;
}

function filterMoney(money: ReadModelMoney, account: string): ReadModelMoney {
  const mine = <T extends { account: string | null }>(rows: T[]) => rows.filter((row) => row.account === account);
  return {
    charges: mine(money.charges),
    refunds: mine(money.refunds),
    disputes: mine(money.disputes),
    invoices: mine(money.invoices),
  };
}

function nullFirst(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}
