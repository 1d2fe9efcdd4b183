/**
 * Rebuild throughput: `npm run bench:rebuild` (BENCH_EVENTS, default 1,000,000; BENCH_BATCH, 2,000).
 * Seeds the store with realistic events (fixture payloads with fresh event ids, objects spread over
 * 50,000 customers) straight in SQL, then has the compiled worker build every read model from
 * position 0, and prints events/s and the worker's peak RSS. The worker runs with the heap budget of
 * `npm run start:worker` (WORKER_MAX_HEAP_MB, default 192).
 *
 * First it reads every event with nothing applied (BENCH_READ_FLOOR=0 skips it): the floor under any
 * rebuild on this machine.
 *
 * BENCH_SEED_TEMPLATE=<name> (with DATABASE_URL naming a server): keep the seeded store as database
 * <name> and start each later run from a copy of it, skipping the 70-85 s of seeding.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createDataSource, runMigrations } from '../libs/database/src/data-source';
import { EVENT_STORE_MIGRATIONS } from '../libs/event-store/src/postgres/event-store-schema.migration';
import { PostgresEventStore } from '../libs/event-store/src/postgres/postgres-event-store';
import { ProjectionStore } from '../libs/projections/src/projection-store';
import { allProjectors } from '../libs/read-models/src/all-projectors';
import { READ_MODEL_MIGRATIONS } from '../libs/runtime/src/migrations';
import { Progress } from '../apps/cli/src/progress';
import { type StripeEventPayload, toStoreEvent } from '../libs/stripe/src';
import { stripeFixturesDir } from '../libs/testing/src/stripe-fixtures';
import { benchDatabase, benchPostgres } from './bench-support';
import { measureCpu } from './cpu-split';
import { peakRssMiB, WORKER_MAIN } from './ingest-support';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 2_000);
/** The worker's V8 heap budget, as `npm run start:worker` sets it (WORKER_MAX_HEAP_MB, default 192). */
const HEAP_MB = Number(process.env.WORKER_MAX_HEAP_MB ?? 192);
const CUSTOMERS = 50_000;
const FIXTURES = join(stripeFixturesDir(), 'events');

interface Template {
  body: string;
  /** The metadata webhook ingestion stores with this event (its stripeEventId replaced per copy). */
  metadata: string;
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
          metadata: JSON.stringify(toStoreEvent(event as StripeEventPayload).metadata),
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
    `CREATE TEMP TABLE templates (n int, body text, metadata jsonb, type text, event_id text, object_id text, object_type text)`,
  );
  await client.query(
    `INSERT INTO templates SELECT * FROM unnest($1::int[], $2::text[], $3::jsonb[], $4::text[], $5::text[], $6::text[], $7::text[])`,
    [
      list.map((_, i) => i),
      list.map((t) => t.body),
      list.map((t) => t.metadata),
      list.map((t) => t.type),
      list.map((t) => t.eventId),
      list.map((t) => t.objectId),
      list.map((t) => t.objectType),
    ],
  );
  // Every event a fresh id, with the metadata webhook ingestion stores; its object one of 50,000 per
  // object type (customers, invoices, ...).
  await client.query(
    `INSERT INTO event_store.events (position, event_id, stream_name, stream_revision, category, type, data, metadata, recorded_at)
     SELECT g, gen_random_uuid(), s.stream, row_number() OVER (PARTITION BY s.stream ORDER BY g) - 1,
            'stripe_' || t.object_type, t.type,
            replace(replace(t.body, t.event_id, 'evt_bench_' || g), t.object_id, s.object_id)::json,
            t.metadata || jsonb_build_object('stripeEventId', 'evt_bench_' || g), now()
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

const MIGRATIONS = [...EVENT_STORE_MIGRATIONS, ...READ_MODEL_MIGRATIONS];

/** A seeded store: fresh, or a copy of the one kept under BENCH_SEED_TEMPLATE. */
async function seededDatabase(): Promise<{ url: string; stop(): Promise<void> }> {
  const template = process.env.BENCH_SEED_TEMPLATE;
  if (!template || !process.env.DATABASE_URL) {
    const db = await benchDatabase(MIGRATIONS);
    await timedSeed(db.url);
    return db;
  }
  const server = await benchPostgres();
  const admin = new Client({ connectionString: server.adminUrl });
  await admin.connect();
  try {
    const kept = await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [template]);
    if (kept.rowCount === 0) {
      await admin.query(`CREATE DATABASE ${template}`);
      const url = new URL(server.adminUrl);
      url.pathname = `/${template}`;
      await runMigrations(url.toString(), MIGRATIONS);
      await timedSeed(url.toString());
    }
    const url = await server.createDatabase('bench', template);
    console.log(`store copied from ${template}`);
    const drop = async (): Promise<void> => {
      const client = new Client({ connectionString: server.adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE ${new URL(url).pathname.slice(1)} WITH (FORCE)`);
      await client.end();
    };
    return { url, stop: drop };
  } finally {
    await admin.end();
  }
}

async function timedSeed(url: string): Promise<void> {
  const started = performance.now();
  await seed(url);
  console.log(`seeded ${EVENTS.toLocaleString('en')} events in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * The floor under any rebuild: reading every event, with nothing applied (the store's readAll, the
 * worker's batch size, the next batch read while the last is taken, as subscriptions read ahead).
 */
async function readAlone(url: string): Promise<void> {
  const store = new PostgresEventStore({ connectionString: url });
  try {
    const head = await store.headPosition();
    const cpu = measureCpu(process.pid, { server: 'reader', bench: 'bench' });
    const started = performance.now();
    let events = 0;
    let next = store.readAll({ from: 0n, maxCount: BATCH });
    for (;;) {
      const { events: read, nextFrom } = await next;
      if (nextFrom < head) next = store.readAll({ from: nextFrom, maxCount: BATCH });
      events += read.length;
      if (nextFrom >= head) break;
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `reading alone: ${events.toLocaleString('en')} events in ${seconds.toFixed(1)} s, ` +
        `${Math.round(events / seconds).toLocaleString('en')} events/s; ${cpu.stop()}`,
    );
  } finally {
    await store.close();
  }
}

async function main(): Promise<void> {
  const db = await seededDatabase();
  try {
    if (process.env.BENCH_READ_FLOOR !== '0') await readAlone(db.url);
    // The compiled worker does the build, as in production: its own RSS is what we report.
    const dataSource: DataSource = await createDataSource(db.url, []).initialize();
    const projections = new ProjectionStore(dataSource);
    const names = allProjectors().map((projector) => projector.name);
    const [{ head }] = await dataSource.query(`SELECT max(position) AS head FROM event_store.events`);
    const [{ lsn: walBefore }] = await dataSource.query(`SELECT pg_current_wal_lsn()::text AS lsn`);
    const started = performance.now();
    // BENCH_WORKER_FLAGS: extra node flags for the worker, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
    const flags = (process.env.BENCH_WORKER_FLAGS ?? '').split(' ').filter(Boolean);
    const worker = spawn(process.execPath, [`--max-old-space-size=${HEAP_MB}`, ...flags, WORKER_MAIN], {
      env: {
        ...process.env,
        DATABASE_URL: db.url,
        EVENT_STORE_URL: '',
        PROJECTION_BATCH_SIZE: String(BATCH),
        WORKER_PORT: '0',
      },
      stdio: ['ignore', process.env.BENCH_WORKER_STDOUT ? 'inherit' : 'ignore', 'inherit'],
    });
    const progress = new Progress('rebuild');
    const cpu = measureCpu(worker.pid!, { server: 'worker', bench: 'bench' });
    let cpuSplit = '';
    let wal = '0'; // bytes of WAL written by the rebuild
    let peak = 0;
    try {
      for (;;) {
        peak = Math.max(peak, peakRssMiB(worker.pid!));
        const states = (await projections.states()).filter((state) => names.includes(state.name));
        const slowest = states.length === names.length ? Math.min(...states.map((state) => Number(state.position))) : 0;
        progress.update(slowest, Number(head));
        if (slowest >= Number(head)) break;
        if (worker.exitCode !== null) throw new Error(`the worker exited with ${worker.exitCode}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    } finally {
      peak = Math.max(peak, peakRssMiB(worker.pid!));
      cpuSplit = cpu.stop();
      worker.kill('SIGTERM');
      await new Promise((resolve) => worker.once('exit', resolve));
      [{ wal }] = await dataSource.query(`SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn) AS wal`, [
        walBefore,
      ]);
      await dataSource.destroy();
    }
    const seconds = (performance.now() - started) / 1000;
    progress.finish('done');
    console.log(
      `rebuilt ${names.join(', ')} over ${Number(head).toLocaleString('en')} events in ${seconds.toFixed(1)} s (worker start included): ` +
        `${Math.round(Number(head) / seconds).toLocaleString('en')} events/s, worker peak RSS ${Math.round(peak)} MiB, batch ${BATCH}, heap budget ${HEAP_MB} MB`,
    );
    console.log(`${cpuSplit}; WAL written ${Math.round(Number(wal) / 2 ** 20).toLocaleString('en')} MiB`);
  } finally {
    await db.stop();
  }
}

void main();
