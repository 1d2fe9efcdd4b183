/**
 * Reconciliation throughput: `npm run bench:reconcile` (issue 8).
 *
 * Seeds the store in SQL with BENCH_EVENTS (default 1,000,000) events made from the money scenario's
 * fixture-based builders (real Stripe payloads, pretty-printed as Stripe sends them): customers'
 * invoices paid by charges, refunds asked for by the platform and made in Stripe's dashboard,
 * disputes, customer balance changes, Connect accounts' charges, and the non-money events that come
 * with them (payment intents, subscriptions, payment methods). Then runs `reconcile` as the CLI and
 * the API do, without Stripe (the balance transactions the events carry) and without read models,
 * over a period covering about 90 % of the events, and prints events/s, wall time, peak RSS and the
 * latency of the store reads.
 *
 * BENCH_EVENTS   events in the store (default 1,000,000)
 * BENCH_BATCHES  reconcile's batch sizes to run, comma-separated (default: reconcile's own default)
 * BENCH_RUNS     runs per batch size (default 1)
 * BENCH_BREAKDOWN=1  also time, outside reconcile, the store reads alone, the same query without
 *                JSON parsing, the JSON parsing alone, and the fold alone (where the time goes);
 *                BENCH_EXPLAIN=1 adds the plan of one filtered read
 * BENCH_REUSE    the URL of a store this bench seeded before (it prints it when DATABASE_URL names a
 *                server that outlives the run): runs again without seeding
 * BENCH_MODES    which runs, comma-separated (default all three, in this order): `events` (every
 *                event's body, no digests), `first` (no kept digests: reads the events and keeps
 *                their digests), `kept` (reads the digests the first run kept, BENCH_RUNS times)
 *
 * It prints the report's sha256 too: a change to reconcile that is only meant to be faster must
 * leave it unchanged.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';
import { Client, types } from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource, runMigrations } from '../libs/database/src/data-source';
import type { EventStore, ReadAllOptions } from '../libs/event-store/src/event-store.port';
import { EVENT_STORE_MIGRATIONS } from '../libs/event-store/src/postgres/event-store-schema.migration';
import { PostgresEventStore } from '../libs/event-store/src/postgres/postgres-event-store';
import { EVENT_COLUMNS, filterConditions } from '../libs/event-store/src/postgres/rows';
import { ProjectionEngine1763900000000 } from '../libs/projections/src/projection-engine.migration';
import { MoneyDigests } from '../libs/reconciliation/src/digests/money-digests';
import { MoneyDigests1764000002300 } from '../libs/reconciliation/src/digests/money-digests.migration';
import { LedgerBook } from '../libs/reconciliation/src/ledger/ledger-book';
import { stripeAccountOf } from '../libs/reconciliation/src/ledger/money-facts';
import { MONEY_EVENTS, reconcile } from '../libs/reconciliation/src/runs/reconcile';
import { reportJson } from '../libs/reconciliation/src/runs/report';
import {
  balanceChanged,
  charge,
  DAY,
  disputeWithdrawn,
  invoicePaid,
  platformRefundMetadata,
  refund,
  stripePayload,
  T0,
} from '../libs/reconciliation/src/testing/money-scenario';
import { routeStripeEvent, type StripeEventPayload, toStoreEvent } from '../libs/stripe/src';
import { loadEventFixtures } from '../libs/testing/src/stripe-fixtures';
import { Progress } from '../apps/cli/src/progress';
import { benchDatabase, percentile } from './bench-support';
import { peakRssMiB } from './ingest-support';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const BATCHES = (process.env.BENCH_BATCHES ?? '')
  .split(',')
  .filter(Boolean)
  .map((value) => Number(value));
const RUNS = Number(process.env.BENCH_RUNS ?? 1);
const BREAKDOWN = process.env.BENCH_BREAKDOWN === '1';

/** Stories (one customer's invoice, its payment and what follows) per cycle of templates. */
const STORIES = 20;
/** Customers the stories are spread over (a multiple of STORIES: see `revision`). */
const CUSTOMERS = 50_000;
/** The store covers a year; the run's period its first 330 days (about 90 % of the events). */
const SPAN = 365 * DAY;
const PERIOD = { from: T0, to: T0 + 330 * DAY };
const CHUNK = 50_000;

// Placeholders replaced in SQL, per event. Numbers are sentinels that no fixture contains.
const K = '__K__'; // the story: k = cycle * STORIES + story
const CUS = '__CUS__'; // the customer: k % CUSTOMERS
const EVT = '__EVT__'; // the event's position (Stripe event ids)
const CMD = '__CMD__'; // the event id of the story's RefundRequested
const OCCURRED = '__OCCURRED__'; // the event's time, ISO
const TIMES = [1999900001, 1999900002, 1999900003]; // cycle start + the template's offsets t1, t2, t3
const AMOUNT = 1999800001;
const REFUNDED = 1999800002;
const FEE = 1999800003;
const BT_AMOUNT = 1999800004; // the charge's balance transaction: its amount, 100 less once in 9,973 stories
const CREDIT = 1999800005;
const SENTINELS = /1999[89]000\d\d/;

interface Template {
  j: number;
  story: number;
  stream: string;
  category: string;
  type: string;
  body: string;
  metadata: string;
  /** Seconds after the cycle's start: the event's own time, then up to two earlier objects' times. */
  t: [number, number, number];
  /** Stream revision within the cycle, or (customer streams) within the customer's share of a cycle. */
  revision: number;
  /** Customer streams: events of this story on the customer's stream, a revision step per visit. */
  customerStep: number;
  /** How many positions back the story's RefundRequested is (0: none). */
  commandBack: number;
  money: boolean;
}

interface Draft {
  payload?: StripeEventPayload;
  platform?: { stream: string; type: string; data: Record<string, unknown>; metadata: Record<string, unknown> };
  /** Slots for the earlier objects this event restates (their creation events' draft indexes). */
  refersTo?: number[];
  command?: number;
}

/** One cycle of STORIES stories, as event templates with placeholders. */
function cycle(cycleSeconds: number): Template[] {
  const drafts: { story: number; draft: Draft }[] = [];
  const t = (slot: 0 | 1 | 2) => TIMES[slot]!;
  for (let s = 0; s < STORIES; s++) {
    const id = (prefix: string) => `${prefix}_bench_${K}`;
    const [ch, inv, pi, re, dp, sub, pm, txn] = ['ch', 'in', 'pi', 're', 'dp', 'sub', 'pm', 'txn'].map(id) as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    const customer = `cus_bench_${CUS}`;
    // One story in ten is a Connect account's (two accounts).
    const connect = s % 10 === 9 ? `acct_bench_${s % 3}` : undefined;
    const add = (draft: Draft) => drafts.push({ story: s, draft }) - 1;
    const mine = (payload: StripeEventPayload, created?: number): StripeEventPayload =>
      ({
        ...payload,
        ...(connect ? { account: connect } : {}),
        // The event's own time; the object inside may be older (created by an earlier event).
        ...(created !== undefined ? { created } : {}),
      }) as StripeEventPayload;

    // A customer's credit, granted before the invoice it pays (one story in four).
    const credit = s % 4 === 0 && !connect;
    if (credit) add({ payload: balanceChanged(customer, 0, -CREDIT, t(0)) });
    // A customer's details changed (one story in three): a money stream, no money.
    if (s % 3 === 2 && !connect) {
      add({
        payload: stripePayload(
          'stripe-ruby-mock/customer.updated.json',
          { id: customer, object: 'customer', email: `customer.${CUS}@example.com`, currency: 'eur' },
          t(0),
          { previousAttributes: { email: null } },
        ),
      });
    }
    const invoiceFields = {
      customer,
      subscription: connect ? null : sub,
      amount_due: AMOUNT,
      total: AMOUNT,
      subtotal: AMOUNT,
      currency: 'eur',
      starting_balance: credit ? -CREDIT : 0,
      ending_balance: 0,
    };
    const created = add({
      payload: mine(
        stripePayload(
          'stripe-ruby-mock/invoice.created.json',
          { ...invoiceFields, id: inv, status: 'draft', paid: false, amount_paid: 0, created: t(0) },
          t(0),
        ),
      ),
    });
    add({
      payload: mine(
        stripePayload(
          'stripe-ruby-mock/invoice.finalized.json',
          { ...invoiceFields, id: inv, status: 'open', paid: false, amount_paid: 0, created: t(1) },
          t(0),
        ),
      ),
      refersTo: [created],
    });
    add({
      payload: mine(
        stripePayload(
          'stripe-ruby-mock/payment_intent.succeeded.json',
          { id: pi, amount: AMOUNT, amount_received: AMOUNT, currency: 'eur', customer, invoice: inv, created: t(0) },
          t(0),
        ),
      ),
    });
    const charged = add({
      payload: mine(
        charge(ch, AMOUNT, t(0), {
          customer,
          invoice: inv,
          payment_intent: pi,
          // Expanded, as the scenario builds it: the balance transactions the run compares against.
          balance_transaction: {
            id: txn,
            object: 'balance_transaction',
            amount: BT_AMOUNT,
            fee: FEE,
            currency: 'eur',
            created: t(0),
          },
        }),
      ),
    });
    const paid = add({
      payload: mine(
        invoicePaid(inv, AMOUNT, t(0), { ...invoiceFields, charge: ch, payment_intent: pi, created: t(1) }),
      ),
      refersTo: [created],
    });
    add({
      payload: mine(
        {
          ...invoicePaid(inv, AMOUNT, t(1), { ...invoiceFields, charge: ch, payment_intent: pi, created: t(2) }),
          type: 'invoice.payment_succeeded',
        } as StripeEventPayload,
        t(0),
      ),
      refersTo: [paid, created],
    });
    if (credit) add({ payload: balanceChanged(customer, -CREDIT, 0, t(0)) });
    if (!connect) {
      add({
        payload: stripePayload(
          'stripe-ruby-mock/customer.subscription.updated.json',
          { id: sub, customer, current_period_start: t(0), current_period_end: t(0) + 30 * DAY },
          t(0),
        ),
      });
    }
    if (s % 2 === 0) {
      add({
        payload: mine(
          stripePayload('stripe-ruby-mock/payment_method.attached.json', { id: pm, customer, created: t(0) }, t(0)),
        ),
      });
    }

    // Refunds: asked for by the platform (one story in five), made in Stripe's dashboard (one in ten).
    const platformRefund = s % 5 === 1;
    if (platformRefund || s % 10 === 3) {
      let command: number | undefined;
      if (platformRefund) {
        command = add({
          platform: {
            stream: `payment-${ch}`,
            type: 'RefundRequested',
            data: {
              paymentId: ch,
              refundRequestId: `req_bench_${K}`,
              chargeId: ch,
              paymentIntentId: null,
              customerId: `customer-${CUS}`,
              amount: REFUNDED,
              currency: 'eur',
              reason: 'requested_by_customer',
            },
            metadata: { source: 'platform', actor: 'finance@example.com', occurredAt: OCCURRED },
          },
        });
        add({
          platform: {
            stream: `payment-${ch}`,
            type: 'RefundLinkedToStripe',
            data: {
              paymentId: ch,
              customerId: `customer-${CUS}`,
              refundRequestId: `req_bench_${K}`,
              stripeRefundId: re,
              commandEventId: CMD,
            },
            metadata: { source: 'platform', actor: 'system:stripe-sync', causationId: CMD, occurredAt: OCCURRED },
          },
          command,
        });
      }
      const refundFields = (at: number) => ({
        balance_transaction: {
          id: `txn_re_bench_${K}`,
          object: 'balance_transaction',
          amount: -REFUNDED,
          fee: 0,
          currency: 'eur',
          created: at,
        },
        ...(platformRefund ? { metadata: platformRefundMetadata(CMD, `req_bench_${K}`) } : {}),
      });
      const refunded = add({
        payload: mine(refund(re, ch, REFUNDED, t(0), refundFields(t(0)))),
        ...(command !== undefined ? { command } : {}),
      });
      add({
        payload: mine(
          {
            ...charge(ch, AMOUNT, t(1), {
              customer,
              invoice: inv,
              payment_intent: pi,
              amount_refunded: REFUNDED,
              balance_transaction: txn,
              refunds: {
                object: 'list',
                data: [refund(re, ch, REFUNDED, t(2), refundFields(t(2))).data!.object],
                has_more: false,
                total_count: 1,
              },
            }),
            type: 'charge.refunded',
          } as StripeEventPayload,
          t(0),
        ),
        refersTo: [charged, refunded],
        ...(command !== undefined ? { command } : {}),
      });
    }

    // A lost dispute (one story in twenty): opened, then the funds withdrawn.
    if (s === 7) {
      const opened = add({
        payload: mine(
          stripePayload(
            'stripe-ruby-mock/charge.dispute.created.json',
            {
              id: dp,
              charge: ch,
              amount: AMOUNT,
              currency: 'eur',
              status: 'needs_response',
              created: t(0),
              balance_transactions: [],
            },
            t(0),
          ),
        ),
      });
      add({ payload: mine(disputeWithdrawn(dp, ch, AMOUNT, 1500, t(1)), t(0)), refersTo: [opened] });
    }
  }

  const offsetOf = (j: number) => Math.floor((j * cycleSeconds) / drafts.length);
  const perStory = new Map<string, number>();
  const keyed = drafts.map(({ story, draft }) => {
    const stream = draft.payload ? routeStripeEvent(draft.payload).stream : draft.platform!.stream;
    if (!stream.includes(K) && !stream.includes(CUS)) throw new Error(`stream ${stream} is shared across stories`);
    const streamKey = `${story}|${stream}`;
    perStory.set(streamKey, (perStory.get(streamKey) ?? 0) + 1);
    return { story, draft, stream, streamKey };
  });
  const revisions = new Map<string, number>();
  return keyed.map(({ story, draft, stream, streamKey }, j) => {
    const revision = revisions.get(streamKey) ?? 0;
    revisions.set(streamKey, revision + 1);
    const refers = draft.refersTo ?? [];
    let body: string;
    let metadata: Record<string, unknown>;
    let type: string;
    if (draft.payload) {
      const stored = toStoreEvent({ ...draft.payload, id: `evt_bench_${EVT}` } as StripeEventPayload);
      body = JSON.stringify(stored.data, null, 2); // pretty-printed, as Stripe sends it and the webhook stores it
      metadata = { ...stored.metadata, occurredAt: OCCURRED };
      type = stored.type;
    } else {
      body = JSON.stringify(draft.platform!.data);
      metadata = draft.platform!.metadata;
      type = draft.platform!.type;
    }
    const category = stream.slice(0, stream.indexOf('-'));
    return {
      j,
      story,
      stream,
      category,
      type,
      body,
      metadata: JSON.stringify(metadata),
      t: [offsetOf(j), offsetOf(refers[0] ?? j), offsetOf(refers[1] ?? j)],
      revision,
      // A customer's stream is visited once per CUSTOMERS stories, always from the same story slot.
      customerStep: stream.includes(CUS) ? perStory.get(streamKey)! : 0,
      commandBack: draft.command !== undefined ? j - draft.command : 0,
      money: MONEY_EVENTS.categories!.includes(category),
    };
  });
}

function checkFixturesHaveNoSentinels(): void {
  for (const fixture of loadEventFixtures()) {
    if (SENTINELS.test(fixture.body)) throw new Error(`fixture ${fixture.file} contains a sentinel number`);
  }
}

/** Seeds the store straight in SQL, chunk by chunk, from one cycle of templates. */
async function seed(url: string): Promise<Template[]> {
  checkFixturesHaveNoSentinels();
  const cycles = Math.ceil(EVENTS / cycle(1).length);
  const cycleSeconds = Math.floor(SPAN / cycles);
  const list = cycle(cycleSeconds);
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE UNLOGGED TABLE bench_templates (
      j int PRIMARY KEY, story int, stream text, category text, type text, body text, metadata text,
      t1 int, t2 int, t3 int, revision int, customer_step int, command_back int)`);
    await client.query(
      `INSERT INTO bench_templates SELECT * FROM unnest($1::int[], $2::int[], $3::text[], $4::text[], $5::text[],
         $6::text[], $7::text[], $8::int[], $9::int[], $10::int[], $11::int[], $12::int[], $13::int[])`,
      [
        list.map((x) => x.j),
        list.map((x) => x.story),
        list.map((x) => x.stream),
        list.map((x) => x.category),
        list.map((x) => x.type),
        list.map((x) => x.body),
        list.map((x) => x.metadata),
        list.map((x) => x.t[0]),
        list.map((x) => x.t[1]),
        list.map((x) => x.t[2]),
        list.map((x) => x.revision),
        list.map((x) => x.customerStep),
        list.map((x) => x.commandBack),
      ],
    );
    await client.query('ANALYZE bench_templates');
    const replaceAll = (text: string, pairs: [string | number, string][]) =>
      pairs.reduce((sql, [token, value]) => `replace(${sql}, '${token}', ${value})`, text);
    const body = replaceAll('t.body', [
      [K, 'v.k::text'],
      [CUS, 'v.cus::text'],
      [EVT, 'g::text'],
      [CMD, 'v.cmd'],
      [TIMES[0]!, '(v.base + t.t1)::text'],
      [TIMES[1]!, '(v.base + t.t2)::text'],
      [TIMES[2]!, '(v.base + t.t3)::text'],
      [AMOUNT, 'v.amount::text'],
      [REFUNDED, 'v.refunded::text'],
      [FEE, 'v.fee::text'],
      [BT_AMOUNT, 'v.bt_amount::text'],
      [CREDIT, 'v.credit::text'],
    ]);
    const metadata = replaceAll('t.metadata', [
      [EVT, 'g::text'],
      [CMD, 'v.cmd'],
      [OCCURRED, 'v.occurred'],
    ]);
    const stream = replaceAll('t.stream', [
      [K, 'v.k::text'],
      [CUS, 'v.cus::text'],
    ]);
    const insert = `
      INSERT INTO event_store.events (position, event_id, stream_name, stream_revision, category, type, data, metadata, recorded_at)
      SELECT g, md5('ll-bench-' || g)::uuid, ${stream},
             CASE WHEN t.customer_step > 0 THEN (v.k / ${CUSTOMERS}) * t.customer_step + t.revision ELSE t.revision END,
             t.category, t.type, ${body}::json, ${metadata}::jsonb, to_timestamp(v.base + t.t1)
        FROM generate_series($1::bigint, $2::bigint) AS g
        JOIN bench_templates t ON t.j = (g - 1) % ${list.length}
        CROSS JOIN LATERAL (SELECT (g - 1) / ${list.length} * ${STORIES} + t.story AS k,
                                   ${T0} + (g - 1) / ${list.length} * ${cycleSeconds} AS base) s
        CROSS JOIN LATERAL (
          SELECT s.k, s.base, s.k % ${CUSTOMERS} AS cus,
                 to_char(to_timestamp(s.base + t.t1) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS".000Z"') AS occurred,
                 CASE WHEN t.command_back > 0 THEN md5('ll-bench-' || (g - t.command_back))::uuid::text ELSE '' END AS cmd,
                 500 + (s.k * 7919) % 99500 AS amount,
                 CASE WHEN s.k % 3 = 0 THEN 500 + (s.k * 7919) % 99500 ELSE (500 + (s.k * 7919) % 99500) / 2 END AS refunded,
                 (500 + (s.k * 7919) % 99500) * 29 / 1000 + 25 AS fee,
                 500 + (s.k * 7919) % 99500 - CASE WHEN s.k % 9973 = 0 THEN 100 ELSE 0 END AS bt_amount,
                 1000 + (s.k * 31) % 9000 AS credit) v`;
    const progress = new Progress('generate');
    // Two connections, so that PostgreSQL generates on both cores.
    const other = new Client({ connectionString: url });
    await other.connect();
    try {
      let next = 1;
      let done = 0;
      const work = async (connection: Client) => {
        while (next <= EVENTS) {
          const lo = next;
          const hi = Math.min(EVENTS, lo + CHUNK - 1);
          next = hi + 1;
          await connection.query(insert, [lo, hi]);
          done += hi - lo + 1;
          progress.update(done, EVENTS);
        }
      };
      await Promise.all([work(client), work(other)]);
    } finally {
      await other.end();
    }
    progress.finish('done');
    await client.query(
      `INSERT INTO event_store.streams (stream_name, category, revision)
       SELECT stream_name, min(category), max(stream_revision) FROM event_store.events GROUP BY stream_name`,
    );
    // As a store that has been up a while: vacuumed (hint bits, visibility map) and analysed.
    await client.query('VACUUM (ANALYZE) event_store.events');
    await client.query('ANALYZE event_store.streams');
    await client.query('DROP TABLE bench_templates');
  } finally {
    await client.end();
  }
  return list;
}

/** The store with its reads timed (issue to resolve). */
function timedReads(store: EventStore, latencies: number[]): EventStore {
  return new Proxy(store, {
    get(target, property) {
      if (property === 'readAll') {
        return async (options?: ReadAllOptions) => {
          const started = performance.now();
          try {
            return await target.readAll(options);
          } finally {
            latencies.push(performance.now() - started);
          }
        };
      }
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

const TICKS_PER_SECOND = 100;
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** The bench's own PostgreSQL server: the postmaster of one of its backends and the postmaster's children. */
function serverPids(postmaster: number): number[] {
  const children = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => {
      try {
        return Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]) === postmaster;
      } catch {
        return false;
      }
    });
  return [postmaster, ...children];
}

/** CPU seconds the whole machine has been busy (every core), from /proc/stat. */
function machineBusySeconds(): number {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  const [user, nice, system, , , irq, softirq, steal] = fields.map(Number);
  return (user! + nice! + system! + irq! + softirq! + steal!) / TICKS_PER_SECOND;
}

/** CPU of the bench process, of its PostgreSQL server, and of everything else on the machine (other work). */
function cpuSplit(postmaster: number): () => { node: number; postgres: number; others: number } {
  const started = performance.now();
  const before = new Map(serverPids(postmaster).map((pid) => [pid, cpuSeconds(pid)]));
  const node = process.cpuUsage();
  const machine = machineBusySeconds();
  return () => {
    const wall = (performance.now() - started) / 1000;
    const pg = serverPids(postmaster).reduce((sum, pid) => sum + cpuSeconds(pid) - (before.get(pid) ?? 0), 0);
    const usage = process.cpuUsage(node);
    const mine = (usage.user + usage.system) / 1e6;
    const others = Math.max(0, machineBusySeconds() - machine - mine - pg);
    return { node: (mine / wall) * 100, postgres: (pg / wall) * 100, others: (others / wall) * 100 };
  };
}

/** Resets the process's peak RSS (VmHWM), so that each run reports its own. */
function resetPeakRss(): void {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    // Not Linux, or not allowed: the peak is then the process's since it started.
  }
}

async function postmasterOf(url: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    return Number(readFileSync(`/proc/${rows[0]!.pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
  } finally {
    await client.end();
  }
}

const fmt = (n: number) => Math.round(n).toLocaleString('en');

type Mode = 'events' | 'first' | 'kept';
const MODES = (process.env.BENCH_MODES ?? 'events,first,kept').split(',') as Mode[];
const MODE_NAMES: Record<Mode, string> = {
  events: 'from the events alone (--without-digests)',
  first: 'first run (no digests kept yet: reads the events, keeps their digests)',
  kept: 'next run (reads the digests kept)',
};

async function run(
  store: EventStore,
  dataSource: DataSource,
  postmaster: number,
  batchSize: number | undefined,
  mode: Mode,
): Promise<void> {
  if (mode === 'first') await new MoneyDigests(dataSource).forget();
  const latencies: number[] = [];
  const progress = new Progress(`reconcile ${mode} (batch ${batchSize ?? 'default'})`);
  let fromDigests = 0;
  global.gc?.();
  resetPeakRss();
  let gcMs = 0;
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMs += entry.duration;
  });
  gc.observe({ entryTypes: ['gc'] });
  const cpu = cpuSplit(postmaster);
  const started = performance.now();
  let readDone = 0;
  const report = await reconcile(PERIOD, {
    store: timedReads(store, latencies),
    dataSource,
    stripe: null,
    readModelWaitMs: 0,
    digests: mode !== 'events',
    ...(batchSize ? { batchSize } : {}),
    onProgress: (p) => {
      fromDigests = p.fromDigests;
      if (p.phase === 'events')
        progress.update(Number(p.scanned), Number(p.position), `${fmt(p.eventsRead)} money events`);
      else readDone ||= performance.now();
    },
  });
  const finished = performance.now();
  const seconds = (finished - started) / 1000;
  const split = cpu();
  gc.disconnect();
  const peak = peakRssMiB('self');
  progress.finish('done');
  const covered = Number(report.position);
  const sorted = [...latencies].sort((a, b) => a - b);
  const readTotal = latencies.reduce((sum, ms) => sum + ms, 0) / 1000;
  console.log(
    [
      `reconcile ${MODE_NAMES[mode]}, batch ${batchSize ?? 'default'}: ${fmt(covered)} store events (${fmt(report.eventsRead)} money events, ${fmt(fromDigests)} of them as kept digests) in ${seconds.toFixed(1)} s`,
      `  ${fmt(covered / seconds)} events/s of the store, ${fmt(report.eventsRead / seconds)} money events read/s`,
      `  peak RSS ${fmt(peak)} MiB; cpu (200% = both cores): node ${split.node.toFixed(0)}%, postgres ${split.postgres.toFixed(0)}%, other processes ${split.others.toFixed(0)}%`,
      `  ${latencies.length} reads: p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms, ` +
        `max ${sorted[sorted.length - 1]?.toFixed(1)} ms, ${readTotal.toFixed(1)} s in reads (overlapping the fold if read ahead)`,
      `  reading and folding ${((readDone - started) / 1000).toFixed(1)} s, then comparing and the report ${((finished - readDone) / 1000).toFixed(1)} s; ` +
        `GC pauses ${(gcMs / 1000).toFixed(1)} s`,
      `  report: ${report.ledger.length} ledger lines, ${report.summary.findings} findings ${JSON.stringify(report.summary.byKind)}, ` +
        `${fmt(report.balanceTransactions.count)} balance transactions (${report.balanceTransactions.source}), ` +
        `read models checked: ${report.readModels.checked}; report sha256 ${createHash('sha256').update(reportJson(report)).digest('hex').slice(0, 16)}`,
    ].join('\n'),
  );
}

/**
 * Where the time goes, outside reconcile: the same reads one after the other, with the fold timed
 * apart; the same query with the JSON left as text (PostgreSQL and the transfer), then the JSON
 * parsing alone; and PostgreSQL alone (the rows decompressed and measured, nothing sent).
 */
async function breakdown(url: string, store: EventStore, batchSize: number): Promise<void> {
  const head = await store.headPosition();
  // 1. reads and fold, in turn.
  let from = 0n;
  let readMs = 0;
  let foldMs = 0;
  let events = 0;
  const book = new LedgerBook();
  const accounts = new Set<string | null>([null]);
  const progress = new Progress('breakdown: read + fold');
  while (from < head) {
    const t0 = performance.now();
    const read = await store.readAll({ from, maxCount: batchSize, filter: MONEY_EVENTS });
    const t1 = performance.now();
    for (const event of read.events) {
      if (event.position > head) continue;
      if (event.metadata.source !== 'platform') accounts.add(stripeAccountOf(event));
      book.add(event);
    }
    foldMs += performance.now() - t1;
    readMs += t1 - t0;
    events += read.events.length;
    from = read.nextFrom > from && read.nextFrom < head ? read.nextFrom : head;
    progress.update(Number(from), Number(head));
  }
  progress.finish('done');
  console.log(
    `breakdown batch ${batchSize}: ${fmt(events)} money events; store reads ${(readMs / 1000).toFixed(1)} s ` +
      `(${fmt(events / (readMs / 1000))}/s), fold ${(foldMs / 1000).toFixed(1)} s (${fmt(events / (foldMs / 1000))}/s)`,
  );

  // 2. The store's filtered read (PostgresEventStore.readForwardsFiltered, same SQL), JSON left as text.
  const raw = new Client({
    connectionString: url,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === 114 || oid === 3802
          ? (value: string) => value
          : types.getTypeParser(oid, format)) as typeof types.getTypeParser,
    },
  });
  await raw.connect();
  const params: unknown[] = [batchSize];
  const conditions = filterConditions(MONEY_EVENTS, params);
  const sql = `WITH scanned AS MATERIALIZED (
         SELECT position, (${conditions.join(' AND ')}) AS matches FROM event_store.events
          WHERE position > $3 AND position <= $4 ORDER BY position LIMIT $5)
       SELECT e.*, s.scanned_to FROM (SELECT max(position) AS scanned_to FROM scanned) s
         LEFT JOIN LATERAL (
           SELECT ${EVENT_COLUMNS} FROM event_store.events
            WHERE position IN (SELECT position FROM scanned WHERE matches ORDER BY position LIMIT $1)
            ORDER BY position
         ) e ON true`;
  const window = Math.min(Math.max(batchSize * 8, 10_000), 100_000);
  let queryMs = 0;
  let parseMs = 0;
  let pgOnlyMs = 0;
  let bytes = 0;
  from = 0n;
  while (from < head) {
    const t0 = performance.now();
    const result = await raw.query<{ position: string | null; data: string; metadata: string; scanned_to: string }>(
      sql,
      [...params, from.toString(), head.toString(), window],
    );
    const t1 = performance.now();
    for (const row of result.rows) {
      if (row.position === null) continue;
      bytes += row.data.length;
      JSON.parse(row.data);
      JSON.parse(row.metadata);
    }
    const t2 = performance.now();
    const measured = await raw.query(`SELECT count(*), sum(octet_length(x.data::text)) FROM (${sql}) x`, [
      ...params,
      from.toString(),
      head.toString(),
      window,
    ]);
    pgOnlyMs += performance.now() - t2;
    void measured;
    queryMs += t1 - t0;
    parseMs += t2 - t1;
    const rows = result.rows.filter((row) => row.position !== null);
    const scannedTo = result.rows[0]?.scanned_to ? BigInt(result.rows[0].scanned_to) : head;
    const next = rows.length === batchSize ? BigInt(rows[rows.length - 1]!.position!) : scannedTo;
    from = next > from && next < head ? next : head;
  }
  if (process.env.BENCH_EXPLAIN === '1') {
    const middle = (head / 2n).toString();
    const plan = await raw.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, [
      ...params,
      middle,
      head.toString(),
      window,
    ]);
    console.log(plan.rows.map((row) => row['QUERY PLAN']).join('\n'));
  }
  await raw.end();
  console.log(
    `breakdown batch ${batchSize}: same query, JSON as text ${(queryMs / 1000).toFixed(1)} s; JSON.parse ${(parseMs / 1000).toFixed(1)} s ` +
      `(${fmt(bytes / 1024 / 1024)} MiB of data, ${fmt(bytes / events)} B per event); PostgreSQL alone (nothing sent) ${(pgOnlyMs / 1000).toFixed(1)} s`,
  );
}

function describeMix(list: Template[]): void {
  const byCategory = new Map<string, number>();
  for (const template of list) byCategory.set(template.category, (byCategory.get(template.category) ?? 0) + 1);
  const money = list.filter((template) => template.money).length;
  const bytes = list.reduce((sum, template) => sum + template.body.length, 0) / list.length;
  console.log(
    `mix per cycle of ${list.length} events (${STORIES} stories): ${[...byCategory]
      .sort((a, b) => b[1] - a[1])
      .map(([category, n]) => `${category} ${((n / list.length) * 100).toFixed(1)}%`)
      .join(', ')}; money ${((money / list.length) * 100).toFixed(1)}%; ~${fmt(bytes)} B of data per event`,
  );
}

const MIGRATIONS = [...EVENT_STORE_MIGRATIONS, ProjectionEngine1763900000000, MoneyDigests1764000002300];

async function main(): Promise<void> {
  // BENCH_REUSE: the URL of a store this bench seeded before (kept when DATABASE_URL names the server).
  const reuse = process.env.BENCH_REUSE;
  const db = reuse ? { url: reuse, stop: async () => undefined } : await benchDatabase(MIGRATIONS);
  let store: PostgresEventStore | undefined;
  let dataSource: DataSource | undefined;
  try {
    if (!reuse) {
      const started = performance.now();
      await seed(db.url);
      console.log(`seeded ${fmt(EVENTS)} events in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      if (process.env.DATABASE_URL) console.log(`store kept: BENCH_REUSE='${db.url}' runs on it again`);
    }
    if (reuse) await runMigrations(db.url, MIGRATIONS); // stores seeded before the digests' table
    describeMix(cycle(1));
    store = new PostgresEventStore({ connectionString: db.url, applicationName: 'bench-reconcile' });
    dataSource = await createDataSource(db.url, []).initialize();
    const postmaster = await postmasterOf(db.url);
    for (const batchSize of BATCHES.length ? BATCHES : [undefined]) {
      for (const mode of MODES) {
        for (let i = 0; i < (mode === 'kept' ? RUNS : 1); i++)
          await run(store, dataSource, postmaster, batchSize, mode);
      }
    }
    if (BREAKDOWN) {
      for (const batchSize of BATCHES.length ? BATCHES : [2_000]) await breakdown(db.url, store, batchSize);
    }
  } finally {
    await store?.close();
    await dataSource?.destroy();
    await db.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
