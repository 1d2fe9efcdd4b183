/**
 * Freshness: `npm run bench:freshness` (BENCH_SECONDS, default 20; BENCH_RATE, default 1,000/s;
 * BENCH_WARMUP_SECONDS, default 3).
 * Posts signed webhooks at a steady rate to the built server running the api and the worker, and
 * measures, for each event, the time from its 200 to its effect being visible in the row that
 * GET /stripe-objects/:id serves (polled in the read-model database every 5 ms, so that polling does
 * not load the api). Prints p50/p99/max in the steady state, after a warm-up at the same rate (the
 * first second after start opens connections and compiles hot paths), and over the whole run.
 */
import { Client } from 'pg';
import Stripe from 'stripe';
import { benchPostgres, percentile } from './bench-support';
import { startLedgerline } from './ingest-support';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const RATE = Number(process.env.BENCH_RATE ?? 1_000);
const SECRET = 'whsec_bench_freshness_0123456789';

async function main(): Promise<void> {
  const postgres = await benchPostgres();
  const url = await postgres.createDatabase('freshness');
  const server = await startLedgerline(url, SECRET, 'api,worker');
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    const warmup = WARMUP_SECONDS * RATE;
    const total = warmup + SECONDS * RATE;
    const webhooks = Stripe.webhooks;
    const acknowledged = new Map<string, number>(); // object id -> time of the 200
    const visibleAfter: number[] = [];
    const steadyVisibleAfter: number[] = [];
    let failures = 0;
    let polling = true;
    const poller = (async () => {
      while (polling || acknowledged.size) {
        const ids = [...acknowledged.keys()];
        if (ids.length) {
          const rows: { id: string }[] = (
            await db.query(`SELECT id FROM stripe_objects WHERE id = ANY($1::text[])`, [ids])
          ).rows;
          const now = performance.now();
          for (const { id } of rows) {
            visibleAfter.push(now - acknowledged.get(id)!);
            if (Number(id.slice('cus_fresh_'.length)) >= warmup) steadyVisibleAfter.push(now - acknowledged.get(id)!);
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
      const objectId = `cus_fresh_${i}`;
      const body = JSON.stringify({
        id: `evt_fresh_${i}`,
        object: 'event',
        type: 'customer.updated',
        created: Math.floor(Date.now() / 1000),
        data: { object: { id: objectId, object: 'customer', email: `c${i}@example.com`, balance: i } },
      });
      const signature = webhooks.generateTestHeaderString({ payload: body, secret: SECRET });
      inFlight.push(
        fetch(`${server.url}/webhooks/stripe`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'stripe-signature': signature },
          body,
        })
          .then(async (response) => {
            await response.arrayBuffer();
            if (response.status === 200) acknowledged.set(objectId, performance.now());
            else failures++;
          })
          .catch(() => void failures++),
      );
    }
    await Promise.all(inFlight);
    const sendSeconds = (performance.now() - started) / 1000;
    const deadline = performance.now() + 30_000;
    while (acknowledged.size && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    polling = false;
    const notSeen = acknowledged.size;
    acknowledged.clear();
    await poller;

    console.log(
      `${total.toLocaleString('en')} webhooks at ${RATE}/s (${(total / sendSeconds).toFixed(0)}/s achieved), ${failures} failed, ${notSeen} never visible`,
    );
    const line = (label: string, latencies: number[]) => {
      const sorted = latencies.sort((a, b) => a - b);
      console.log(
        `200 -> visible in stripe_objects, ${label}: p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms, max ${sorted.at(-1)?.toFixed(1)} ms`,
      );
    };
    line(`steady state (${SECONDS} s after ${WARMUP_SECONDS} s of warm-up)`, steadyVisibleAfter);
    line('whole run, warm-up included', visibleAfter);
    console.log(`peak RSS ledgerline (api + worker) ${server.peakRssMiB()} MiB`);
  } finally {
    await db.end();
    await server.stop();
    await postgres.stop();
  }
}

void main();
