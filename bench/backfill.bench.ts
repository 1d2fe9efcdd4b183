/**
 * Backfill throughput: `npm run bench:backfill` (issue 10).
 *
 * A local Stripe-compatible server holds an account made from the real fixture payloads
 * (BENCH_SCALE times the test account: customers, catalogue, subscriptions, invoices, charges, ...).
 * A backfill imports it at BENCH_RATE requests/s (default 100, Stripe's live read limit), then runs
 * again over the same account (every object unchanged). Prints objects/s for both, Stripe requests,
 * the latency of a page (list request + storing its objects) p50/p99, and peak RSS. With Stripe's
 * real latency (~300-600 ms per list page) the rate limit, not Ledgerline, is the bound: this
 * measures what Ledgerline itself costs per object.
 */
import type { DataSource } from 'typeorm';
import { BackfillRuns } from '../libs/backfill/src/runs/backfill-runs';
import { BackfillRuns1764000001700 } from '../libs/backfill/src/runs/backfill-runs.migration';
import { backfillRequestOf, runFor } from '../libs/backfill/src/runs/backfill-request';
import { executeBackfill } from '../libs/backfill/src/runs/execute-backfill';
import { countOf, SMALL_ACCOUNT, stripeAccountObjects } from '../libs/backfill/src/testing/stripe-account.fixture';
import { createDataSource } from '../libs/database/src/data-source';
import { EVENT_STORE_MIGRATIONS } from '../libs/event-store/src/postgres/event-store-schema.migration';
import { PostgresEventStore } from '../libs/event-store/src/postgres/postgres-event-store';
import { startStripeServer } from '../libs/testing/src/stripe-server';
import { benchDatabase, percentile, trackPeakMemory } from './bench-support';

const SCALE = Number(process.env.BENCH_SCALE ?? 10);
const RATE = Number(process.env.BENCH_RATE ?? 100);

async function main(): Promise<void> {
  const shape = Object.fromEntries(
    Object.entries(SMALL_ACCOUNT).map(([type, n]) => [type, n * SCALE]),
  ) as unknown as typeof SMALL_ACCOUNT;
  const objects = countOf(shape);
  const database = await benchDatabase([...EVENT_STORE_MIGRATIONS, BackfillRuns1764000001700]);
  const server = await startStripeServer();
  server.seedObjects(stripeAccountObjects(shape, 'bench'));
  const store = new PostgresEventStore({ connectionString: database.url });
  const dataSource: DataSource = await createDataSource(database.url, []).initialize();
  const runs = new BackfillRuns(dataSource);
  console.log(`backfill bench: ${objects.toLocaleString('en')} objects, ${RATE} requests/s, pages of 100`);
  try {
    for (const label of ['first run (all appended)', 'second run (all unchanged)']) {
      server.reset();
      const pages: number[] = [];
      let last = Date.now();
      const memory = trackPeakMemory();
      const started = Date.now();
      const { id } = await runFor(runs, backfillRequestOf({}), 'bench');
      const run = await executeBackfill(
        { store, stripe: server.stripe(), runs, config: { requestsPerSecond: RATE, maxAttempts: 3, pageSize: 100 } },
        id,
        {
          onProgress: () => {
            const now = Date.now();
            pages.push(now - last);
            last = now;
          },
        },
      );
      const elapsed = Date.now() - started;
      const peak = memory.stop();
      const sorted = pages.sort((a, b) => a - b);
      console.log(
        [
          label.padEnd(28),
          `${Math.round((run.totals.fetched / elapsed) * 1000)} objects/s`,
          `${(elapsed / 1000).toFixed(1)} s`,
          `appended ${run.totals.appended}, unchanged ${run.totals.unchanged}`,
          `${server.requests().length} Stripe requests`,
          `page p50 ${percentile(sorted, 50)} ms p99 ${percentile(sorted, 99)} ms`,
          `peak RSS ${Math.round(peak / 1024 / 1024)} MB`,
        ].join('  '),
      );
    }
  } finally {
    await dataSource.destroy();
    await store.close();
    await server.close();
    await database.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
