import type { DataSource } from 'typeorm';
import { createDataSource } from '@ledgerline/database';
import { EVENT_STORE_MIGRATIONS, type EventStore, matchesFilter, PostgresEventStore } from '@ledgerline/event-store';
import { ProjectionEngine1763900000000, ProjectionStore } from '@ledgerline/projections';
import { allProjectors, SUPPORT_READ_MODEL_MIGRATIONS } from '@ledgerline/read-models';
import type { StripeEventPayload } from '@ledgerline/stripe';
import { createTestDatabase, runMigrations, startStripeServer, type StripeTestServer } from '@ledgerline/testing';
import { MoneyDigests1764000002300 } from '../digests/money-digests.migration';
import { CHECKED_PROJECTIONS } from '../runs/reconcile';
import {
  appendRefundRequest,
  appendStripe,
  balanceChanged,
  balanceTransaction as bt,
  charge,
  DAY,
  disputeWithdrawn,
  invoicePaid,
  platformRefundMetadata,
  refund,
  T0,
} from './money-scenario';

/**
 * Two days of money, stored in `store` and in the local Stripe server's balance:
 * - 2026-01-01 is clean: charges with their invoice, a refund the platform asked for and one made in
 *   Stripe's dashboard, a lost dispute, an invoice paid from customer credit, the credit granted and
 *   used, and a Connect account's charge. Every figure is asserted by the tests that use it.
 * - 2026-01-02 holds one of every kind of finding (the read-model one needs the caller to corrupt
 *   the `charges` row of `ch_rm` once the read models are built).
 */
export async function seedMoneyScenario(
  store: EventStore,
  server: StripeTestServer,
  /** How Stripe's events arrive: stored directly by default; an e2e test posts them as signed webhooks. */
  deliver: Deliver = (payloads) => appendStripe(store, payloads),
): Promise<void> {
  await seedCleanDay(store, server, deliver);
  await seedDayOfFindings(store, server, deliver);
}

type Deliver = (payloads: StripeEventPayload[]) => Promise<void>;

async function seedCleanDay(store: EventStore, server: StripeTestServer, deliver: Deliver): Promise<void> {
  const t = T0;
  await deliver([
    balanceChanged('cus_scenario', 0, -2000, t + 50),
    charge('ch_c1', 5000, t + 100, {
      invoice: 'in_c1',
      balance_transaction: { id: 'txn_c1', amount: 5000, fee: 175, currency: 'eur', created: t + 100 },
    }),
    invoicePaid('in_c1', 5000, t + 110, { charge: 'ch_c1' }),
    charge('ch_c2', 3000, t + 150),
  ]);
  const command = await appendRefundRequest(store, {
    id: 'req-c1',
    chargeId: 'ch_c1',
    amount: 1000,
    at: t + 190,
    stripeRefundId: 're_p1',
  });
  await deliver([
    refund('re_p1', 'ch_c1', 1000, t + 200, { metadata: platformRefundMetadata(command, 'req-c1') }),
    refund('re_s1', 'ch_c2', 500, t + 250),
    disputeWithdrawn('dp_c1', 'ch_c2', 3000, 1500, t + 300),
    invoicePaid('in_c3', 0, t + 400, { starting_balance: -2000, ending_balance: -500 }),
    balanceChanged('cus_scenario', -2000, -500, t + 400),
    charge('ch_connect', 2500, t + 500, {}, 'acct_scenario'),
  ]);
  server.addBalanceTransactions([
    bt('txn_c1', 'ch_c1', 5000, t + 100, { fee: 175 }),
    bt('txn_c2', 'ch_c2', 3000, t + 150, { fee: 117 }),
    bt('txn_rp1', 're_p1', -1000, t + 200),
    bt('txn_rs1', 're_s1', -500, t + 250),
    bt('txn_dp_c1', 'dp_c1', -3000, t + 300, { fee: 1500, type: 'adjustment' }),
  ]);
  server.addBalanceTransactions([bt('txn_connect', 'ch_connect', 2500, t + 500, { fee: 100 })], 'acct_scenario');
}

async function seedDayOfFindings(store: EventStore, server: StripeTestServer, deliver: Deliver): Promise<void> {
  const t = T0 + DAY;
  await deliver([
    charge('ch_only_events', 500, t + 60),
    charge('ch_amount', 2000, t + 60),
    charge('ch_currency', 700, t + 60),
    charge('ch_dup1', 900, t + 60, { payment_intent: 'pi_dup' }),
    charge('ch_dup2', 900, t + 61, { payment_intent: 'pi_dup' }),
    charge('ch_orphan', 400, t + 60, { invoice: 'in_unknown' }),
    charge('ch_refund', 3000, t + 60),
    charge('ch_rm', 7100, t + 60),
    invoicePaid('in_nopay', 1200, t + 80, { charge: 'ch_never' }),
  ]);
  await appendRefundRequest(store, { id: 'req-lost', chargeId: 'ch_refund', amount: 1000, at: t + 65 });
  const command = await appendRefundRequest(store, {
    id: 'req-short',
    chargeId: 'ch_refund',
    amount: 1000,
    at: t + 66,
    stripeRefundId: 're_short',
  });
  await deliver([
    refund('re_short', 'ch_refund', 600, t + 70, { metadata: platformRefundMetadata(command, 'req-short') }),
  ]);
  server.addBalanceTransactions([
    bt('txn_missed', 'ch_missed_webhook', 800, t + 61),
    bt('txn_amount', 'ch_amount', 1900, t + 61),
    bt('txn_currency', 'ch_currency', 700, t + 61, { currency: 'usd' }),
    bt('txn_dup1', 'ch_dup1', 900, t + 61),
    bt('txn_dup2', 'ch_dup2', 900, t + 62),
    bt('txn_orphan', 'ch_orphan', 400, t + 61),
    bt('txn_refund', 'ch_refund', 3000, t + 61),
    bt('txn_rm', 'ch_rm', 7100, t + 61),
    bt('txn_short', 're_short', -600, t + 71),
    bt('txn_dash', 're_dashboard', -250, t + 90),
  ]);
}

/**
 * The read models a run checks (`payments`, `invoices`), built from every event in `store` by the
 * worker's own projectors, with their checkpoints at the head: as a caught-up worker leaves them.
 */
export async function buildCheckedReadModels(store: EventStore, dataSource: DataSource): Promise<void> {
  const head = await store.headPosition();
  const { events } = await store.readAll({ maxCount: 10_000 });
  const projections = new ProjectionStore(dataSource);
  for (const projector of allProjectors().filter((p) => CHECKED_PROJECTIONS.includes(p.name))) {
    await projections.register(projector.name, projector.version);
    await projections.transaction(async (tx) => {
      await projector.applyBatch!(
        events.filter((event) => matchesFilter(event, projector.filter)),
        tx,
      );
      await projections.checkpoint(tx, projector.name, head);
    });
  }
}

/** A test database with what a run needs, the money scenario stored, and the Stripe server it is in. */
export interface MoneyScenarioDatabase {
  dataSource: DataSource;
  store: PostgresEventStore;
  server: StripeTestServer;
  close(): Promise<void>;
}

export async function moneyScenarioDatabase(name: string): Promise<MoneyScenarioDatabase> {
  const database = await createTestDatabase(name);
  await runMigrations(database.url, [
    ...EVENT_STORE_MIGRATIONS,
    ProjectionEngine1763900000000,
    ...SUPPORT_READ_MODEL_MIGRATIONS,
    MoneyDigests1764000002300,
  ]);
  const dataSource = await createDataSource(database.url, []).initialize();
  const store = new PostgresEventStore({ connectionString: database.url });
  const server = await startStripeServer();
  await seedMoneyScenario(store, server);
  return {
    dataSource,
    store,
    server,
    close: async () => {
      await server.close();
      await store.close();
      await dataSource.destroy();
      await database.drop();
    },
  };
}
