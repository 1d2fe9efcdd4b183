import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { createDataSource } from '@ledgerline/database';
import type { RecordedEvent } from '@ledgerline/event-store';
import { ProjectionStore } from '@ledgerline/projections';
import { createTestDatabase, loadEventFixtures, runMigrations, shuffle, type TestDatabase } from '@ledgerline/testing';
import { platformCustomerId } from '../shared/stripe-refs';
import { Activity1764000000600 } from './activity.migration';
import { ActivityProjector } from './activity.projector';
import { ACTIVITY_OBJECT_TYPES, type ActivityFilter, listCustomerActivity } from './activity.query';
import {
  isPlatformInput,
  platformEventId,
  recordedPlatformEvent,
  type PlatformEventInput,
} from '../stripe-sync/testing/platform-events';
import { recordedStripeEvent } from './testing/activity-events';
import { CUSTOMER_A_FEED, customerStory } from './testing/customer-story';
import { PLATFORM_CUSTOMER, PLATFORM_CUSTOMER_FEED, platformCustomerStory } from './testing/platform-story';

/**
 * The stories plus every published fixture. Fixture files reuse event ids, which the store would keep
 * once; here each gets its own id so that all of them are projected.
 */
function payloads(): (Record<string, unknown> | PlatformEventInput)[] {
  const fixtures = loadEventFixtures().map((f, i) => ({
    ...(JSON.parse(f.body) as Record<string, unknown>),
    id: `${f.event.id}_f${i}`,
  }));
  return [...customerStory(), ...platformCustomerStory(), ...fixtures];
}

/** Positions in arrival order, as the store assigns them. */
const arrive = (list: (Record<string, unknown> | PlatformEventInput)[]): RecordedEvent[] =>
  list.map((p, i) => (isPlatformInput(p) ? recordedPlatformEvent(p, i + 1) : recordedStripeEvent(p, i + 1)));

describe('ActivityProjector', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let projections: ProjectionStore;
  const projector = new ActivityProjector();
  const copies = ['batched', 'order1', 'order2'];
  const tables = (copy: string) => ({ activity: `activity_${copy}`, activity_charges: `activity_charges_${copy}` });
  const rows = async (copy?: string, withPosition = true) => {
    const names = copy ? tables(copy) : { activity: 'activity', activity_charges: 'activity_charges' };
    const activity: Record<string, unknown>[] = await dataSource.query(
      `SELECT *, details::text AS details FROM ${names.activity} ORDER BY stripe_event_id, kind`,
    );
    return {
      activity: withPosition ? activity : activity.map(({ event_position: _, ...rest }) => rest),
      charges: await dataSource.query(`SELECT * FROM ${names.activity_charges} ORDER BY charge_id`),
    };
  };
  /** Applies in batches of changing sizes (1, 7, 49 % 61, ...), as the runner's batches vary. */
  const applyInBatches = async (events: RecordedEvent[], copy: string) => {
    for (let start = 0, size = 1; start < events.length; start += size, size = (size * 7) % 61 || 3) {
      const batch = events.slice(start, start + size);
      await projections.transaction((tx) => projector.applyBatch(batch, tx), tables(copy));
    }
  };

  beforeAll(async () => {
    database = await createTestDatabase('activity');
    await runMigrations(database.url, [Activity1764000000600]);
    dataSource = await createDataSource(database.url, []).initialize();
    for (const copy of copies) {
      for (const [live, copied] of Object.entries(tables(copy))) {
        await dataSource.query(`CREATE TABLE ${copied} (LIKE ${live} INCLUDING ALL)`);
      }
    }
    projections = new ProjectionStore(dataSource);
    // The live tables: every event applied one at a time, in the order it happened.
    for (const event of arrive(payloads())) await projections.transaction((tx) => projector.apply(event, tx));
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('gives exactly the same rows applied in batches as one by one', async () => {
    await applyInBatches(arrive(payloads()), 'batched');
    const single = await rows();
    expect(single.activity.length).toBeGreaterThan(30);
    expect(single.charges.length).toBeGreaterThanOrEqual(4);
    expect(await rows('batched')).toEqual(single);
  });

  it('gives the same rows whatever the arrival order, and a redelivery adds nothing', async () => {
    await applyInBatches(arrive(shuffle(payloads(), 1)), 'order1');
    const second = arrive(shuffle(payloads(), 2));
    await applyInBatches([...second, ...second.slice(0, 25), second[3]!], 'order2');
    // Positions are where each event happened to arrive; everything else must match.
    const expected = await rows(undefined, false);
    expect(await rows('order1', false)).toEqual(expected);
    expect(await rows('order2', false)).toEqual(expected);
  });

  it("lists a customer's entries newest first, a dispute found through its charge, one entry per payment", async () => {
    const customer = { id: platformCustomerId('cus_A', null), stripeIds: ['cus_A'] };
    const all = await listCustomerActivity(dataSource, customer, { limit: 50, offset: 0 });
    expect(all.data.map((e) => [e.kind, e.summary])).toEqual(CUSTOMER_A_FEED);
    expect(all.hasMore).toBe(false);
    const occurred = all.data.map((e) => e.occurredAt);
    expect([...occurred].sort().reverse()).toEqual(occurred);
    expect(all.data[0]).toMatchObject({
      objectType: 'dispute',
      objectId: 'dp_A',
      occurredAt: '2026-01-01T00:11:40.000Z',
      details: { status: 'won', amount: 2500, currency: 'usd' },
      event: {
        stripeEventId: 'evt_a11',
        storeEventId: recordedStripeEvent({ id: 'evt_a11' }, 1).id,
        type: 'charge.dispute.closed',
      },
    });
  });

  it('pages through the feed without gaps or repeats', async () => {
    const customer = { id: platformCustomerId('cus_A', null), stripeIds: ['cus_A'] };
    const pages = [];
    for (let offset = 0; offset < 12; offset += 4)
      pages.push(await listCustomerActivity(dataSource, customer, { limit: 4, offset }));
    expect(pages.map((p) => [p.data.length, p.hasMore])).toEqual([
      [4, true],
      [4, true],
      [3, false],
    ]);
    expect(pages.flatMap((p) => p.data.map((e) => [e.kind, e.summary]))).toEqual(CUSTOMER_A_FEED);
  });

  it('filters the feed by the kind of object and a time window, and counts what matches', async () => {
    const customer = { id: platformCustomerId('cus_A', null), stripeIds: ['cus_A'] };
    const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1) + seconds * 1000);
    const kinds = async (filter: ActivityFilter) => {
      const feed = await listCustomerActivity(dataSource, customer, { limit: 50, offset: 0 }, filter);
      expect([feed.total, feed.totalCapped]).toEqual([feed.data.length, false]);
      return feed.data.map((entry) => entry.kind);
    };
    expect(await kinds({ objectType: 'dispute' })).toEqual(['dispute_closed', 'dispute_opened']);
    expect(await kinds({ objectType: 'invoice' })).toEqual([
      'invoice_paid',
      'subscription_renewed',
      'invoice_paid',
      'invoice_created',
    ]);
    expect(await kinds({ objectType: 'charge' })).toEqual(['refund_issued']);
    expect(await kinds({ objectType: 'stripe_sync' })).toEqual([]);
    // From inclusive, before exclusive: the entries at 300 s and 500 s are in, the one at 600 s out.
    expect(await kinds({ from: at(300), before: at(600) })).toEqual([
      'refund_issued',
      'cancellation_scheduled',
      'plan_changed',
      'dispute_opened',
    ]);
    expect(await kinds({ objectType: 'subscription', from: at(110), before: at(400) })).toEqual([
      'subscription_started',
    ]);
    expect(await kinds({ from: at(701) })).toEqual([]);

    const capped = await listCustomerActivity(dataSource, customer, { limit: 2, offset: 0 }, {}, 5);
    expect([capped.data.length, capped.hasMore, capped.total, capped.totalCapped]).toEqual([2, true, 5, true]);
    const counted = await listCustomerActivity(
      dataSource,
      customer,
      { limit: 2, offset: 0 },
      { objectType: 'invoice' },
    );
    expect([counted.hasMore, counted.total, counted.totalCapped]).toEqual([true, 4, false]);
  });

  it('writes only the object types the feed can be filtered by', async () => {
    const written: { object_type: string }[] = await dataSource.query(`SELECT DISTINCT object_type FROM activity`);
    expect(written.length).toBeGreaterThan(5);
    for (const { object_type } of written) expect(ACTIVITY_OBJECT_TYPES).toContain(object_type);
  });

  it('finds entries by platform id alone, and keeps other customers out', async () => {
    const byPlatformId = await listCustomerActivity(
      dataSource,
      { id: platformCustomerId('cus_A', null), stripeIds: [] },
      { limit: 50, offset: 0 },
    );
    // Disputes name only a charge, so without a Stripe id they cannot be found.
    expect(byPlatformId.data.map((e) => [e.kind, e.summary])).toEqual(
      CUSTOMER_A_FEED.filter(([kind]) => !kind.startsWith('dispute')),
    );
    const other = await listCustomerActivity(
      dataSource,
      { id: 'cus_B', stripeIds: ['cus_B'] },
      { limit: 50, offset: 0 },
    );
    expect(other.data.map((e) => e.summary)).toEqual(['Dispute opened (fraudulent, €7.00)', 'Customer created']);
  });

  it("lists a platform customer's commands with their actor, in time order among its Stripe entries", async () => {
    const customer = { id: PLATFORM_CUSTOMER, stripeIds: ['cus_P'] };
    const feed = await listCustomerActivity(dataSource, customer, { limit: 50, offset: 0 });
    expect(feed.data.map((e) => [e.kind, e.summary, e.actor])).toEqual(PLATFORM_CUSTOMER_FEED);
    const occurred = feed.data.map((e) => e.occurredAt);
    expect([...occurred].sort().reverse()).toEqual(occurred);
    // Platform entries have no Stripe event: the store event and its time are the command's.
    expect(feed.data.at(-1)).toMatchObject({
      occurredAt: '2026-01-01T00:16:40.000Z',
      objectType: 'customer',
      objectId: PLATFORM_CUSTOMER,
      details: { actor: 'alice' },
      event: { stripeEventId: null, storeEventId: platformEventId('story-registered'), type: 'CustomerRegistered' },
    });
    expect(feed.data.find((e) => e.kind === 'customer_created')).toMatchObject({
      actor: null,
      event: { stripeEventId: 'evt_p1', type: 'customer.created' },
    });
    // By the platform id alone (a customer not yet linked to Stripe) the commands are all found.
    const byId = await listCustomerActivity(
      dataSource,
      { id: PLATFORM_CUSTOMER, stripeIds: [] },
      { limit: 50, offset: 0 },
    );
    expect(byId.data.filter((e) => e.actor !== null)).toHaveLength(7);
    expect(JSON.stringify(feed)).not.toMatch(/example\.(com|org)|Pat|Lee/);
  });
});
