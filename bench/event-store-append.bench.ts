/**
 * PostgreSQL event store throughput and latency. Run: npm run bench:event-store
 * Prints events/s and p50/p99 per scenario, and the process's peak RSS.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripeFixturesDir } from '../libs/testing/src/stripe-fixtures';
import { EVENT_STORE_MIGRATIONS } from '../libs/event-store/src/postgres/event-store-schema.migration';
import { PostgresEventStore } from '../libs/event-store/src/postgres/postgres-event-store';
import type { NewEvent } from '../libs/event-store/src/event-store.port';
import { benchDatabase, summarise, trackPeakMemory } from './bench-support';

const FIXTURE = join(stripeFixturesDir(), 'events/stripe-ruby-mock/invoice.payment_succeeded.json');

function stripeEvent(): NewEvent {
  const data: unknown = JSON.parse(readFileSync(FIXTURE, 'utf8'));
  return { id: randomUUID(), type: 'invoice.payment_succeeded', data, metadata: { source: 'stripe' } };
}

async function main(): Promise<void> {
  const memory = trackPeakMemory();
  const db = await benchDatabase(EVENT_STORE_MIGRATIONS);
  const store = new PostgresEventStore({ connectionString: db.url, poolSize: 16, pollIntervalMs: 200 });
  const template = stripeEvent();
  const next = (): NewEvent => ({ ...template, id: randomUUID() });
  const lines: string[] = [];

  const timed = async (work: () => Promise<unknown>, latencies: number[]) => {
    const t = performance.now();
    await work();
    latencies.push(performance.now() - t);
  };

  for (const writers of [1, 8, 32]) {
    const perWriter = writers === 1 ? 2_000 : Math.ceil(8_000 / writers);
    const latencies: number[] = [];
    const start = performance.now();
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        for (let i = 0; i < perWriter; i++)
          await timed(() => store.append(`stripe_invoice-in_${w}`, [next()]), latencies);
      }),
    );
    lines.push(
      summarise(`append 1 event, ${writers} writer(s)`, writers * perWriter, performance.now() - start, latencies),
    );
  }

  {
    const latencies: number[] = [];
    const start = performance.now();
    for (let i = 0; i < 100; i++) {
      await timed(() => store.append(`bulk-${i}`, Array.from({ length: 100 }, next)), latencies);
    }
    lines.push(summarise('append 100-event batches, 1 writer', 10_000, performance.now() - start, latencies));
  }

  {
    const latencies: number[] = [];
    const id = randomUUID();
    await store.append('dup-1', [{ ...template, id }]);
    const start = performance.now();
    for (let i = 0; i < 2_000; i++) await timed(() => store.append('dup-1', [{ ...template, id }]), latencies);
    lines.push(summarise('duplicate append (id already stored)', 2_000, performance.now() - start, latencies));
  }

  {
    const head = await store.headPosition();
    let seen = 0;
    const start = performance.now();
    const subscription = store.subscribeToAll({
      from: 'start',
      batchSize: 1_000,
      handler: async (events) => {
        seen += events.length;
      },
    });
    await subscription.caughtUp;
    await subscription.stop();
    lines.push(summarise(`catch-up subscription over ${head} events`, seen, performance.now() - start, []));
  }

  {
    const latencies: number[] = [];
    const sent = new Map<string, number>();
    const subscription = store.subscribeToAll({
      from: 'end',
      filter: { categories: ['live'] },
      handler: async (events) => {
        for (const e of events) latencies.push(performance.now() - sent.get(e.id)!);
      },
    });
    await subscription.caughtUp;
    const start = performance.now();
    for (let i = 0; i < 500; i++) {
      const event = next();
      sent.set(event.id!, performance.now());
      await store.append(`live-${i % 10}`, [event]);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    while (latencies.length < 500) await new Promise((resolve) => setTimeout(resolve, 10));
    await subscription.stop();
    lines.push(summarise('append → live subscriber delivery', 500, performance.now() - start, latencies));
  }

  await store.close();
  await db.stop();
  const peak = memory.stop();
  console.log(lines.join('\n'));
  console.log(`peak RSS ${(peak / 1024 / 1024).toFixed(0)} MiB`);
}

void main();
