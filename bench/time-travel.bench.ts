/**
 * Time travel latency: `npm run bench:time-travel` (BENCH_EVENTS, default 10,000). One customer with
 * that many events (Stripe updates, every 50th a platform edit) in a real PostgreSQL event store,
 * projected by the customers and entity_history projectors; then `customerAsOf` at random recorded
 * instants, p50/p99, with snapshots and (fewer runs) without them.
 */
import { createDataSource } from '../libs/database/src/data-source';
import { EVENT_STORE_MIGRATIONS } from '../libs/event-store/src/postgres/event-store-schema.migration';
import type { NewEvent } from '../libs/event-store/src/event-store.port';
import { PostgresEventStore } from '../libs/event-store/src/postgres/postgres-event-store';
import { ProjectionStore } from '../libs/projections/src/projection-store';
import { customersProjector } from '../libs/read-models/src/customers/customers.projector';
import { EntityHistoryProjector } from '../libs/read-models/src/history/entity-history.projector';
import { customerAsOf } from '../libs/read-models/src/history/records-as-of';
import { READ_MODEL_MIGRATIONS } from '../libs/runtime/src/migrations';
import { Progress } from '../apps/cli/src/progress';
import { benchDatabase, percentile } from './bench-support';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 300);
const ID = '7d1f0c4a-9e2b-4c1d-8f3a-2b5c6d7e8f90';
const CHUNK = 100;

function update(n: number): NewEvent {
  if (n % 50 === 49) {
    return {
      type: 'CustomerDetailsChanged',
      data: {
        customerId: ID,
        details: {
          firstName: 'Ada',
          lastName: `L${n}`,
          email: `ada+${n}@platform.example`,
          phone: null,
          address: null,
        },
        changed: ['lastName', 'email'],
        stripeCustomerId: 'cus_bench',
      },
      metadata: {
        source: 'platform',
        actor: 'bench',
        occurredAt: new Date(1_760_000_000_000 + n * 1000).toISOString(),
      },
    };
  }
  const customer = {
    id: 'cus_bench',
    object: 'customer',
    name: `Ada ${n}`,
    email: `ada+${n}@example.org`,
    phone: '+44 20 7946 0001',
    address: { line1: `${n} Main Street`, city: 'London', country: 'GB', postal_code: 'SW1Y 4JH' },
    balance: -n,
    currency: 'gbp',
    created: 1_700_000_000,
    invoice_settings: { default_payment_method: 'pm_1' },
    metadata: { ledgerline_customer_id: ID, company: 'Analytical Engines' },
  };
  return {
    type: 'customer.updated',
    data: {
      id: `evt_${n}`,
      object: 'event',
      type: 'customer.updated',
      created: 1_760_000_000 + n,
      data: { object: customer },
    },
    metadata: { source: 'stripe', stripeEventId: `evt_${n}` },
  };
}

async function main(): Promise<void> {
  const database = await benchDatabase([...EVENT_STORE_MIGRATIONS, ...READ_MODEL_MIGRATIONS]);
  const store = new PostgresEventStore({ connectionString: database.url });
  const dataSource = await createDataSource(database.url, []).initialize();
  try {
    const instants: Date[] = [];
    const progress = new Progress('append');
    for (let n = 0; n < EVENTS; n += CHUNK) {
      const chunk = Array.from({ length: Math.min(CHUNK, EVENTS - n) }, (_, i) => update(n + i));
      for (const event of chunk) {
        const stream = event.metadata.source === 'platform' ? `customer-${ID}` : 'stripe_customer-cus_bench';
        await store.append(stream, [event]);
      }
      instants.push(new Date());
      progress.update(n + chunk.length, EVENTS);
    }
    progress.finish('done');
    const projections = new ProjectionStore(dataSource);
    const projectors = [customersProjector(), new EntityHistoryProjector()];
    let from = 0n;
    for (;;) {
      const { events, nextFrom } = await store.readAll({ from, maxCount: 500 });
      if (!events.length) break;
      for (const projector of projectors) await projections.transaction((tx) => projector.applyBatch(events, tx));
      from = nextFrom;
    }
    const time = async (runs: number) => {
      const latencies: number[] = [];
      let folded = 0;
      for (let i = 0; i < runs; i++) {
        const asOf = instants[Math.floor(Math.random() * instants.length)]!;
        const started = performance.now();
        const past = await customerAsOf(dataSource, store, ID, asOf);
        latencies.push(performance.now() - started);
        folded = Math.max(folded, past!.info.eventsRead);
      }
      latencies.sort((a, b) => a - b);
      return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies.at(-1)!, folded };
    };
    await time(20); // warm-up: JIT, connections, plans
    const withSnapshots = await time(RUNS);
    await dataSource.query(`DELETE FROM entity_history_snapshots`);
    const whole = await time(Math.max(10, Math.floor(RUNS / 10)));
    const f = (ms: number) => `${ms.toFixed(1)} ms`;
    console.log(`time travel, one customer with ${EVENTS.toLocaleString('en')} events (${instants.length} instants)`);
    console.log(
      `  with snapshots:    p50 ${f(withSnapshots.p50)}  p99 ${f(withSnapshots.p99)}  max ${f(withSnapshots.max)}  (at most ${withSnapshots.folded} events folded after a snapshot)`,
    );
    console.log(`  whole history:     p50 ${f(whole.p50)}  p99 ${f(whole.p99)}  max ${f(whole.max)}`);
    console.log(`  peak RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB`);
  } finally {
    await dataSource.destroy();
    await store.close();
    await database.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
