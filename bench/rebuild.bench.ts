/**
 * Rebuild throughput: `npm run bench:rebuild` (BENCH_EVENTS, default 1,000,000; BENCH_BATCH, 2,000).
 * Seeds the store with realistic events (fixture payloads with fresh event ids, objects spread over
 * 50,000 customers) straight in SQL, then builds every read model from position 0 with the real
 * runner, and prints events/s and peak RSS.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createDataSource } from '../libs/database/src/data-source';
import { EVENT_STORE_MIGRATIONS } from '../libs/event-store/src/postgres/event-store-schema.migration';
import { PostgresEventStore } from '../libs/event-store/src/postgres/postgres-event-store';
import { ProjectionRunner } from '../libs/projections/src/projection-runner';
import { ProjectionStore } from '../libs/projections/src/projection-store';
import { allProjectors } from '../libs/read-models/src/all-projectors';
import { READ_MODEL_MIGRATIONS } from '../libs/runtime/src/migrations';
import { Progress } from '../apps/cli/src/progress';
import { benchDatabase, trackPeakMemory } from './bench-support';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 2_000);
const CUSTOMERS = 50_000;
const FIXTURES = join(__dirname, '../../shared/stripe-fixtures/events');

interface Template {
  body: string;
  type: string;
  eventId: string;
  objectId: string;
  objectType: string;
}

function templates(): Template[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
    );
  return walk(FIXTURES)
    .filter((file) => file.endsWith('.json'))
    .flatMap((file) => {
      const body = readFileSync(file, 'utf8')
        .replace(/^\uFEFF/, '')
        .trim();
      const event = JSON.parse(body) as {
        id?: string;
        type?: string;
        object?: string;
        data?: { object?: { id?: unknown; object?: unknown } };
      };
      const object = event.data?.object;
      if (event.object !== 'event' || typeof object?.id !== 'string' || typeof object.object !== 'string') return [];
      return [
        {
          body,
          type: event.type!,
          eventId: event.id!,
          objectId: object.id,
          objectType: object.object.replace(/[^a-z0-9_]/g, '_'),
        },
      ];
    });
}

async function seed(url: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  const list = templates();
  await client.query(
    `CREATE TEMP TABLE templates (n int, body text, type text, event_id text, object_id text, object_type text)`,
  );
  await client.query(
    `INSERT INTO templates SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])`,
    [
      list.map((_, i) => i),
      list.map((t) => t.body),
      list.map((t) => t.type),
      list.map((t) => t.eventId),
      list.map((t) => t.objectId),
      list.map((t) => t.objectType),
    ],
  );
  // Every event a fresh id; its object one of 50,000 per object type (customers, invoices, ...).
  await client.query(
    `INSERT INTO event_store.events (position, event_id, stream_name, stream_revision, category, type, data, metadata, recorded_at)
     SELECT g, gen_random_uuid(), s.stream, row_number() OVER (PARTITION BY s.stream ORDER BY g) - 1,
            'stripe_' || t.object_type, t.type,
            replace(replace(t.body, t.event_id, 'evt_bench_' || g), t.object_id, s.object_id)::json,
            jsonb_build_object('source', 'stripe', 'stripeEventId', 'evt_bench_' || g), now()
       FROM generate_series(1, $1::int) AS g
       JOIN templates t ON t.n = g % $2
       CROSS JOIN LATERAL (SELECT t.object_id || '_' || (g % $3) AS object_id) o
       CROSS JOIN LATERAL (SELECT 'stripe_' || t.object_type || '-' || o.object_id AS stream, o.object_id) s`,
    [EVENTS, list.length, CUSTOMERS],
  );
  await client.query(
    `INSERT INTO event_store.streams (stream_name, category, revision)
     SELECT stream_name, min(category), max(stream_revision) FROM event_store.events GROUP BY stream_name`,
  );
  await client.query('ANALYZE');
  await client.end();
}

async function main(): Promise<void> {
  const db = await benchDatabase([...EVENT_STORE_MIGRATIONS, ...READ_MODEL_MIGRATIONS]);
  try {
    let started = performance.now();
    await seed(db.url);
    console.log(
      `seeded ${EVENTS.toLocaleString('en')} events in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );

    const memory = trackPeakMemory();
    const dataSource: DataSource = await createDataSource(db.url, []).initialize();
    const store = new PostgresEventStore({ connectionString: db.url });
    const projections = new ProjectionStore(dataSource);
    const runners = allProjectors().map(
      (projector) => new ProjectionRunner(projector, store, projections, { batchSize: BATCH }),
    );
    const head = await store.headPosition();
    started = performance.now();
    await Promise.all(runners.map((runner) => runner.start()));
    const progress = new Progress('rebuild');
    for (;;) {
      const states = await projections.states();
      const slowest = states.reduce((min, s) => (BigInt(s.position) < min ? BigInt(s.position) : min), head);
      progress.update(Number(slowest), Number(head));
      if (slowest >= head) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const seconds = (performance.now() - started) / 1000;
    await Promise.all(runners.map((runner) => runner.stop()));
    await store.close();
    await dataSource.destroy();
    progress.finish('done');
    console.log(
      `rebuilt ${runners.map((r) => r.name).join(', ')} over ${Number(head).toLocaleString('en')} events in ${seconds.toFixed(1)} s: ` +
        `${Math.round(Number(head) / seconds).toLocaleString('en')} events/s, peak RSS ${(memory.stop() / 1024 / 1024).toFixed(0)} MiB, batch ${BATCH}`,
    );
  } finally {
    await db.stop();
  }
}

void main();
