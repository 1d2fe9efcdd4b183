/**
 * Freshness: `npm run bench:freshness` (BENCH_SECONDS, default 20; BENCH_RATE, default 1,000/s;
 * BENCH_WARMUP_SECONDS, default 3; BENCH_LAYOUTS, default `combined,1,2`).
 * Posts signed webhooks at a steady rate to the built server and measures, for each event, the time
 * from its 200 to its effect being visible in the row that GET /stripe-objects/:id serves (polled in
 * the read-model database every 5 ms, so that polling does not load the api). Prints p50/p99/max in
 * the steady state, after a warm-up at the same rate, and over the whole run. Each layout runs on a
 * fresh database in the same run, side by side: `combined` is the api and the worker in one process
 * (`npm start`), `N` the api alone and N worker processes sharing the work under leases.
 * With two or more workers it then measures failover: the worker that owns `stripe_objects` is
 * killed (SIGKILL) while the webhooks go on, and the time until every projection is back at the
 * head, and the worst 200 -> visible latency around the kill, are printed.
 */
import { Client } from 'pg';
import Stripe from 'stripe';
import { benchPostgres, percentile } from './bench-support';
import { type BenchServer, type BenchWorker, startLedgerline, startWorker } from './ingest-support';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const RATE = Number(process.env.BENCH_RATE ?? 1_000);
const LAYOUTS = (process.env.BENCH_LAYOUTS ?? 'combined,1,2').split(',').map((layout) => layout.trim());
const SECRET = 'whsec_bench_freshness_0123456789';
/** Seconds into the steady state at which the failover phase kills the owner of stripe_objects. */
const KILL_AFTER_SECONDS = Math.min(5, SECONDS / 2);

interface Run {
  webhooks: number;
  failed: number;
  notSeen: number;
  achievedRate: number;
  steady: number[];
  whole: number[];
}

/** Sends `total` webhooks at RATE to `url`; `atSecond(s)` is called once per second of sending. */
async function drive(url: string, db: Client, prefix: string, atSecond: (second: number) => void): Promise<Run> {
  const warmup = WARMUP_SECONDS * RATE;
  const total = warmup + SECONDS * RATE;
  const acknowledged = new Map<string, number>(); // object id -> time of the 200
  const run: Run = { webhooks: total, failed: 0, notSeen: 0, achievedRate: 0, steady: [], whole: [] };
  let polling = true;
  const poller = (async () => {
    while (polling || acknowledged.size) {
      const ids = [...acknowledged.keys()];
      if (ids.length) {
        const { rows } = await db.query<{ id: string }>(`SELECT id FROM stripe_objects WHERE id = ANY($1::text[])`, [
          ids,
        ]);
        const now = performance.now();
        for (const { id } of rows) {
          run.whole.push(now - acknowledged.get(id)!);
          if (Number(id.slice(prefix.length)) >= warmup) run.steady.push(now - acknowledged.get(id)!);
          acknowledged.delete(id);
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();

  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (i % RATE === 0) atSecond(i / RATE);
    const objectId = `${prefix}${i}`;
    const body = JSON.stringify({
      id: `evt_${objectId}`,
      object: 'event',
      type: 'customer.updated',
      created: Math.floor(Date.now() / 1000),
      data: { object: { id: objectId, object: 'customer', email: `c${i}@example.com`, balance: i } },
    });
    const signature = Stripe.webhooks.generateTestHeaderString({ payload: body, secret: SECRET });
    inFlight.push(
      fetch(`${url}/webhooks/stripe`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': signature },
        body,
      })
        .then(async (response) => {
          await response.arrayBuffer();
          if (response.status === 200) acknowledged.set(objectId, performance.now());
          else run.failed++;
        })
        .catch(() => void run.failed++),
    );
  }
  await Promise.all(inFlight);
  run.achievedRate = total / ((performance.now() - started) / 1000);
  const deadline = performance.now() + 30_000;
  while (acknowledged.size && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  polling = false;
  run.notSeen = acknowledged.size;
  acknowledged.clear();
  await poller;
  return run;
}

function report(label: string, run: Run, rss: string): void {
  const line = (what: string, latencies: number[]) => {
    const sorted = latencies.sort((a, b) => a - b);
    const ms = (value: number | undefined) => `${(value ?? NaN).toFixed(1)} ms`;
    console.log(
      `  ${what}: p50 ${ms(percentile(sorted, 50))}, p99 ${ms(percentile(sorted, 99))}, max ${ms(sorted.at(-1))}`,
    );
  };
  console.log(
    `${label}: ${run.webhooks.toLocaleString('en')} webhooks at ${RATE}/s (${run.achievedRate.toFixed(0)}/s achieved), ${run.failed} failed, ${run.notSeen} never visible`,
  );
  line(`200 -> visible, steady state (${SECONDS} s after ${WARMUP_SECONDS} s of warm-up)`, run.steady);
  line('200 -> visible, whole run', run.whole);
  console.log(`  peak RSS ${rss}`);
}

/**
 * Every projection past the head as it was at `since` (the webhooks go on, so the live head is always
 * a few events ahead): polled every 20 ms; the time it took, in ms.
 */
async function untilCaughtUp(db: Client, since: number, timeoutMs = 60_000): Promise<number> {
  const { rows: heads } = await db.query<{ head: string }>(
    `SELECT coalesce(max(position), 0) AS head FROM event_store.events`,
  );
  for (;;) {
    const { rows } = await db.query<{ behind: string }>(
      `SELECT count(*) AS behind FROM projections.projection_state WHERE name NOT LIKE '%:rebuild' AND position < $1`,
      [heads[0]!.head],
    );
    if (rows[0]!.behind === '0') return performance.now() - since;
    if (performance.now() - since > timeoutMs) return NaN;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function main(): Promise<void> {
  const postgres = await benchPostgres();
  try {
    for (const layout of LAYOUTS) {
      const url = await postgres.createDatabase(`freshness_${layout}`);
      const combined = layout === 'combined';
      const server: BenchServer = await startLedgerline(url, SECRET, combined ? 'api,worker' : 'api');
      const workers: BenchWorker[] = [];
      const db = new Client({ connectionString: url });
      await db.connect();
      try {
        for (let i = 0; i < (combined ? 0 : Number(layout)); i++) workers.push(await startWorker(url, `worker-${i}`));
        // Let a newcomer's handover settle (two heartbeats) before measuring.
        if (workers.length > 1) await new Promise((resolve) => setTimeout(resolve, 3_000));
        const label = combined ? 'api and worker in one process' : `api + ${workers.length} worker process(es)`;
        const run = await drive(server.url, db, `cus_${layout}_`, () => undefined);
        const rss = [server, ...workers].map((p) => `${p.name} ${p.peakRssMiB().toFixed(0)} MiB`).join(', ');
        report(label, run, rss);

        if (workers.length < 2) continue;
        let killedAt = 0;
        const failover = drive(server.url, db, `cus_${layout}_failover_`, (second) => {
          if (second !== WARMUP_SECONDS + KILL_AFTER_SECONDS) return;
          void db
            .query<{ owner: string }>(`SELECT owner FROM workers.leases WHERE unit = 'projection:stripe_objects'`)
            .then(({ rows }) => {
              const owner = workers.find((worker) => worker.id === rows[0]?.owner);
              killedAt = performance.now();
              owner?.kill();
              return untilCaughtUp(db, killedAt);
            })
            .then((ms) =>
              console.log(
                `failover: SIGKILL of the owner of stripe_objects -> every projection at the head: ${ms.toFixed(0)} ms`,
              ),
            );
        });
        report(
          `${label}, owner of stripe_objects killed ${KILL_AFTER_SECONDS} s into the steady state`,
          await failover,
          '',
        );
      } finally {
        await db.end();
        await Promise.all([server.stop(), ...workers.map((worker) => worker.stop())]);
      }
    }
  } finally {
    await postgres.stop();
  }
}

void main();
