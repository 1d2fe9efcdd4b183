/**
 * Support search latency: `npm run bench:search` (BENCH_CUSTOMERS, default 100,000). Builds the
 * customers and subscriptions read models through their projectors from generated Stripe events
 * (names, emails, phones and addresses from small vocabularies, so searches hit many or few rows),
 * then times GET /customers?q= and /subscriptions?q= queries and prints p50/p99 per search.
 */
import { createDataSource } from '../libs/database/src/data-source';
import type { RecordedEvent } from '../libs/event-store/src/event-store.port';
import { ProjectionStore } from '../libs/projections/src/projection-store';
import { customersProjector } from '../libs/read-models/src/customers/customers.projector';
import { searchCustomers } from '../libs/read-models/src/customers/customer-list.query';
import { subscriptionsProjector } from '../libs/read-models/src/subscriptions/subscriptions.projector';
import { searchSubscriptions } from '../libs/read-models/src/subscriptions/subscriptions.query';
import { READ_MODEL_MIGRATIONS } from '../libs/runtime/src/migrations';
import { Progress } from '../apps/cli/src/progress';
import { benchDatabase, percentile } from './bench-support';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const FIRST = [
  'Ada',
  'Grace',
  'Alan',
  'Edsger',
  'Barbara',
  'Donald',
  'Frances',
  'Ken',
  'Margaret',
  'Radia',
  'Tim',
  'Linus',
];
const LAST = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Dijkstra',
  'Liskov',
  'Knuth',
  'Allen',
  'Thompson',
  'Hamilton',
  'Perlman',
];
const STREETS = ['Main Street', 'Harbor Road', 'Navy Way', 'Elm Avenue', 'Church Lane', 'Station Road', 'Park Drive'];
const CITIES = ['Lyon', 'Berlin', 'Boston', 'Leeds', 'Porto', 'Oslo', 'Kyoto'];
const STATUSES = ['active', 'trialing', 'past_due', 'canceled', 'unpaid'];

function events(n: number): RecordedEvent[] {
  const list: RecordedEvent[] = [];
  const add = (type: string, object: Record<string, unknown>) =>
    list.push({
      id: crypto.randomUUID(),
      type,
      stream: `bench-${list.length}`,
      revision: 0n,
      position: BigInt(list.length + 1),
      data: { id: `evt_${list.length}`, object: 'event', type, created: 1_760_000_000 + list.length, data: { object } },
      metadata: { source: 'stripe', recordedAt: new Date(0).toISOString() },
    });
  for (let i = 0; i < n; i++) {
    const first = FIRST[i % FIRST.length]!;
    const last = `${LAST[(i * 7) % LAST.length]}${i % 97 === 0 ? '-Smith' : ''}`;
    add('customer.created', {
      id: `cus_${i}`,
      object: 'customer',
      name: `${first} ${last}`,
      email: `${first}.${last}.${i}@example.com`.toLowerCase(),
      phone: `+1 555 ${String(i).padStart(7, '0')}`,
      address: {
        line1: `${(i % 300) + 1} ${STREETS[i % STREETS.length]}`,
        city: CITIES[i % CITIES.length],
        postal_code: String(10000 + (i % 9000)),
        country: 'US',
      },
      metadata: { company: `Company ${i % 5000}`, department: i % 3 === 0 ? 'Finance' : 'Engineering' },
    });
    add('customer.subscription.created', {
      id: `sub_${i}`,
      object: 'subscription',
      customer: `cus_${i}`,
      status: STATUSES[i % STATUSES.length],
      created: 1_700_000_000 + i,
      items: { object: 'list', data: [{ id: `si_${i}`, price: { id: 'price_1', product: 'prod_1' }, quantity: 1 }] },
    });
  }
  return list;
}

async function main(): Promise<void> {
  const db = await benchDatabase(READ_MODEL_MIGRATIONS);
  const dataSource = await createDataSource(db.url, []).initialize();
  try {
    const all = events(CUSTOMERS);
    const store = new ProjectionStore(dataSource);
    const progress = new Progress('build read models');
    for (let i = 0; i < all.length; i += 2_000) {
      const batch = all.slice(i, i + 2_000);
      for (const projector of [customersProjector(), subscriptionsProjector()]) {
        await store.transaction((tx) => projector.applyBatch(batch, tx));
      }
      progress.update(Math.min(i + 2_000, all.length), all.length);
    }
    progress.finish('done');
    await dataSource.query('ANALYZE');

    const page = { limit: 50, offset: 0 };
    const searches: [string, () => Promise<{ data: unknown[] }>][] = [
      ['customers q=hopper (many matches)', () => searchCustomers(dataSource, { q: 'hopper' }, page)],
      ['customers q=smith (some matches)', () => searchCustomers(dataSource, { q: 'smith' }, page)],
      ['customers q=ada.lovelace.48 (email part)', () => searchCustomers(dataSource, { q: 'ada.lovelace.48' }, page)],
      ['customers q=0004242 (phone digits)', () => searchCustomers(dataSource, { q: '0004242' }, page)],
      ['customers q=555 000 4242 (phone as typed)', () => searchCustomers(dataSource, { q: '555 000 4242' }, page)],
      ['customers q=17 navy way (address)', () => searchCustomers(dataSource, { q: '17 navy way' }, page)],
      ['customers q=zzzzqq (no match)', () => searchCustomers(dataSource, { q: 'zzzzqq' }, page)],
      ['customers q=a (one letter)', () => searchCustomers(dataSource, { q: 'a' }, page)],
      ['customers, no q, offset 5,000', () => searchCustomers(dataSource, {}, { limit: 50, offset: 5_000 })],
      [
        'customers by balance, highest first',
        () => searchCustomers(dataSource, { sort: 'balance', order: 'desc' }, page),
      ],
      [
        'customers subscriptionStatus=unpaid',
        () => searchCustomers(dataSource, { subscriptionStatus: 'unpaid' }, page),
      ],
      [
        'subscriptions q=finance status=past_due',
        () => searchSubscriptions(dataSource, { q: 'finance', status: 'past_due' }, page),
      ],
      ['subscriptions q=company 123', () => searchSubscriptions(dataSource, { q: 'company 123' }, page)],
    ];
    console.log(`\n${CUSTOMERS.toLocaleString('en')} customers and subscriptions, ${RUNS} runs per search, page of 50`);
    for (const [label, run] of searches) {
      const latencies: number[] = [];
      let hits = 0;
      for (let i = 0; i < RUNS; i++) {
        const started = performance.now();
        hits = (await run()).data.length;
        latencies.push(performance.now() - started);
      }
      latencies.sort((a, b) => a - b);
      console.log(
        `${label.padEnd(44)} ${String(hits).padStart(3)} rows  p50 ${percentile(latencies, 50).toFixed(2)} ms  p99 ${percentile(latencies, 99).toFixed(2)} ms`,
      );
    }
  } finally {
    await dataSource.destroy();
    await db.stop();
  }
}

void main();
