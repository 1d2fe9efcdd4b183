import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { createDataSource } from '@ledgerline/database';
import type { RecordedEvent } from '@ledgerline/event-store';
import { STRIPE_SYNC_RESULT_TYPES, SYNCED_COMMAND_EVENT_TYPES } from '@ledgerline/events';
import { ProjectionStore } from '@ledgerline/projections';
import { createTestDatabase, runMigrations, shuffle, type TestDatabase } from '@ledgerline/testing';
import { latestStripeSync, outboundSync, PAUSED_REASON } from './record-sync.query';
import { forgetStripeSyncRetries, recordStripeSyncRetry } from './stripe-sync-attempts';
import {
  StripeSync1764000000900,
  StripeSyncAttempts1764000003100,
  StripeSyncRefunds1764000002910,
} from './stripe-sync.migration';
import { StripeSyncProjector } from './stripe-sync.projector';
import { listStripeSync, stripeSyncSummary } from './stripe-sync.query';
import { outcomeOf, platformEventId, recordedPlatformEvent, type PlatformEventInput } from './testing/platform-events';

const T = Date.UTC(2026, 2, 1) / 1000;
const iso = (seconds: number) => new Date((T + seconds) * 1000).toISOString();
const A = '11111111-2222-4333-8444-555555555555';
const B = '66666666-7777-4888-9999-000000000000';
const SUB = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';

const command = (
  name: string,
  type: string,
  stream: string,
  data: Record<string, unknown>,
  at: number,
  actor: string,
): PlatformEventInput => ({ name, type, stream, data, occurredAt: iso(at), actor });

const c1 = command('c1', 'CustomerRegistered', `customer-${A}`, { customerId: A }, 100, 'alice');
const c2 = command(
  'c2',
  'SubscriptionStarted',
  `subscription-${SUB}`,
  { subscriptionId: SUB, customerId: A },
  200,
  'bob',
);
const c3 = command(
  'c3',
  'CustomerDetailsChanged',
  `customer-${B}`,
  { customerId: B, changed: ['email'] },
  400,
  'alice',
);
const c4 = command(
  'c4',
  'SubscriptionCancellationRequested',
  `subscription-${SUB}`,
  { subscriptionId: SUB, customerId: null, when: 'now', reason: null },
  500,
  'bob',
);
const c5 = command(
  'c5',
  'RefundRequested',
  'payment-ch_1',
  { paymentId: 'ch_1', customerId: A, amount: 500 },
  600,
  'carol',
);
const c6 = command(
  'c6',
  'SubscriptionPlanChanged',
  `subscription-${SUB}`,
  { subscriptionId: SUB, customerId: B },
  700,
  'alice',
);

const failure = (reason: string, attempts: number, type: string) => ({
  commandEventType: type,
  operation: 'POST /v1/subscriptions',
  reason,
  stripeErrorType: 'card_error',
  stripeErrorCode: 'card_declined',
  statusCode: 402,
  attempts,
});

/** Six commands and their outcomes, in store order (positions 1..n). */
const STORY: PlatformEventInput[] = [
  c1,
  outcomeOf(c1, 'c1-linked', 'CustomerLinkedToStripe', { customerId: A, stripeCustomerId: 'cus_1' }, iso(101)),
  c2,
  outcomeOf(
    c2,
    'c2-failed',
    'StripeSyncFailed',
    { customerId: A, ...failure('Your card was declined.', 3, 'SubscriptionStarted') },
    iso(201),
  ),
  c3,
  outcomeOf(c2, 'c2-linked', 'SubscriptionLinkedToStripe', { customerId: A, stripeSubscriptionId: 'sub_2' }, iso(300)),
  outcomeOf(
    c3,
    'c3-failed',
    'StripeSyncFailed',
    { customerId: B, ...failure('No such customer', 5, 'CustomerDetailsChanged') },
    iso(401),
  ),
  c4,
  outcomeOf(
    c4,
    'c4-completed',
    'StripeSyncCompleted',
    { customerId: A, commandEventType: 'SubscriptionCancellationRequested', stripeIds: { subscription: 'sub_2' } },
    iso(501),
  ),
  c5,
  c6,
  // Not the projector's: ignored.
  command('n1', 'NotificationDelivered', 'notification-1', { notificationId: 'x' }, 800, 'system:notifier'),
];
const EVENTS: RecordedEvent[] = STORY.map((input, i) => recordedPlatformEvent(input, i + 1));
const id = platformEventId;

describe('StripeSyncProjector', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let projections: ProjectionStore;
  const projector = new StripeSyncProjector();
  const copies = ['batched', 'reversed', 'order1', 'order2', 'steps'];
  const tableOf = (copy: string) => ({ stripe_sync: `stripe_sync_${copy}` });
  const rows = (copy?: string): Promise<Record<string, unknown>[]> =>
    dataSource.query(
      `SELECT *, stripe_ids::text AS stripe_ids FROM ${copy ? tableOf(copy).stripe_sync : 'stripe_sync'} ORDER BY command_event_id`,
    );
  const row = async (copy: string, commandEventId: string) =>
    (await rows(copy)).find((r) => r.command_event_id === commandEventId);
  const applyOneByOne = async (events: RecordedEvent[], copy?: string) => {
    for (const event of events) {
      await projections.transaction((tx) => projector.apply(event, tx), copy ? tableOf(copy) : {});
    }
  };
  /** Applies in batches of changing sizes (1, 7, 49 % 61, ...), as the runner's batches vary. */
  const applyInBatches = async (events: RecordedEvent[], copy: string) => {
    for (let start = 0, size = 1; start < events.length; start += size, size = (size * 7) % 61 || 3) {
      const batch = events.slice(start, start + size);
      await projections.transaction((tx) => projector.applyBatch(batch, tx), tableOf(copy));
    }
  };

  beforeAll(async () => {
    database = await createTestDatabase('stripe_sync');
    await runMigrations(database.url, [
      StripeSync1764000000900,
      StripeSyncRefunds1764000002910,
      StripeSyncAttempts1764000003100,
    ]);
    dataSource = await createDataSource(database.url, []).initialize();
    for (const copy of copies) {
      await dataSource.query(`CREATE TABLE ${tableOf(copy).stripe_sync} (LIKE stripe_sync INCLUDING ALL)`);
    }
    projections = new ProjectionStore(dataSource);
    // The live table: every event applied one at a time, in store order.
    await applyOneByOne(EVENTS);
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('is given the synced commands and the outcomes only', () => {
    const types = projector.filter.eventTypes ?? [];
    expect([...types].sort()).toEqual([...SYNCED_COMMAND_EVENT_TYPES, ...STRIPE_SYNC_RESULT_TYPES].sort());
    expect(projector.filter.eventTypePrefixes).toBeUndefined();
  });

  it('a command is pending until its outcome says synced, with the Stripe ids it reports', async () => {
    const [command, linked] = [EVENTS[0]!, EVENTS[1]!];
    await applyOneByOne([command], 'steps');
    expect(await row('steps', id('c1'))).toEqual({
      command_event_id: id('c1'),
      stream: `customer-${A}`,
      command_event_type: 'CustomerRegistered',
      customer_id: A,
      actor: 'alice',
      occurred_at: new Date(iso(100)),
      event_position: '1',
      status: 'pending',
      stripe_ids: null,
      reason: null,
      attempts: 0,
      outcome_event_id: null,
      outcome_at: null,
      outcome_position: null,
      payment_id: null,
      amount: null,
      currency: null,
    });
    await applyOneByOne([linked], 'steps');
    expect(await row('steps', id('c1'))).toMatchObject({
      status: 'synced',
      stripe_ids: '{"customer": "cus_1"}',
      reason: null,
      outcome_event_id: id('c1-linked'),
      outcome_at: new Date(iso(101)),
      outcome_position: '2',
    });
  });

  it('pending, failed, then synced by a later retry: the later outcome wins, the attempts stay', async () => {
    const [command, failed, retried] = [EVENTS[2]!, EVENTS[3]!, EVENTS[5]!];
    await applyOneByOne([command], 'steps');
    expect(await row('steps', id('c2'))).toMatchObject({ status: 'pending', attempts: 0 });
    await applyOneByOne([failed], 'steps');
    expect(await row('steps', id('c2'))).toMatchObject({
      status: 'failed',
      reason: 'Your card was declined.',
      attempts: 3,
      stripe_ids: null,
      outcome_event_id: id('c2-failed'),
    });
    await applyOneByOne([retried], 'steps');
    const synced = await row('steps', id('c2'));
    expect(synced).toMatchObject({
      status: 'synced',
      reason: null,
      attempts: 3,
      stripe_ids: '{"subscription": "sub_2"}',
      outcome_event_id: id('c2-linked'),
      outcome_at: new Date(iso(300)),
    });
    // The failure delivered again (or applied late) changes nothing: it is earlier in the store.
    await applyOneByOne([failed, command], 'steps');
    expect(await row('steps', id('c2'))).toEqual(synced);
  });

  it('an outcome applied before its command gives the same row', async () => {
    await applyOneByOne([...EVENTS].reverse(), 'reversed');
    expect(await rows('reversed')).toEqual(await rows());
  });

  it('gives the same rows in batches, in any order, and with redeliveries', async () => {
    await applyInBatches(EVENTS, 'batched');
    const live = await rows();
    expect(live).toHaveLength(6);
    expect(await rows('batched')).toEqual(live);
    await applyInBatches(shuffle(EVENTS, 1), 'order1');
    const second = shuffle(EVENTS, 2);
    await applyInBatches([...second, ...shuffle(EVENTS, 3).slice(0, 6), second[4]!], 'order2');
    expect(await rows('order1')).toEqual(live);
    expect(await rows('order2')).toEqual(live);
  });

  it('a command that names no customer takes it from its outcome', async () => {
    expect(await row('batched', id('c4'))).toMatchObject({ customer_id: A, status: 'synced', actor: 'bob' });
  });

  it('sums up pending, synced and failed commands, and the oldest one pending', async () => {
    expect(await stripeSyncSummary(dataSource)).toEqual({
      pending: 2,
      retrying: 0,
      synced: 3,
      failed: 1,
      oldestPendingAt: iso(600),
    });
  });

  it('lists commands newest first, by status and by customer, a page at a time, in camelCase', async () => {
    const page = { limit: 50, offset: 0 };
    const ids = (list: { data: { commandEventId: string }[] }) => list.data.map((r) => r.commandEventId);
    expect(ids(await listStripeSync(dataSource, {}, page))).toEqual(['c6', 'c5', 'c4', 'c3', 'c2', 'c1'].map(id));
    expect(ids(await listStripeSync(dataSource, { status: 'failed' }, page))).toEqual([id('c3')]);
    expect(ids(await listStripeSync(dataSource, { status: 'pending', customerId: A }, page))).toEqual([id('c5')]);
    expect(ids(await listStripeSync(dataSource, { customerId: A }, page))).toEqual(['c5', 'c4', 'c2', 'c1'].map(id));
    expect(ids(await listStripeSync(dataSource, { customerId: 'cus_1' }, page))).toEqual([]);
    const second = await listStripeSync(dataSource, {}, { limit: 2, offset: 2 });
    expect([ids(second), second.hasMore]).toEqual([[id('c4'), id('c3')], true]);
    const [retried] = (await listStripeSync(dataSource, { customerId: A, status: 'synced' }, { limit: 1, offset: 1 }))
      .data;
    expect(retried).toEqual({
      commandEventId: id('c2'),
      stream: `subscription-${SUB}`,
      commandEventType: 'SubscriptionStarted',
      customerId: A,
      actor: 'bob',
      occurredAt: iso(200),
      eventPosition: 3,
      status: 'synced',
      stripeIds: { subscription: 'sub_2' },
      reason: null,
      attempts: 3,
      outcomeEventId: id('c2-linked'),
      outcomeAt: iso(300),
      retrying: null,
    });
  });

  describe('where a record stands with Stripe: pending, retrying, paused, failed or synced', () => {
    const running = outboundSync('sk_test_key');
    const paused = outboundSync(null);
    const subscription = `subscription-${SUB}`;
    const latest = (stream: string, outbound = running) => latestStripeSync(dataSource, [stream], outbound);
    /** What the worker writes when a Stripe call of the command failed and waits `nextInSeconds`. */
    const retry = (name: string, nextInSeconds: number, attempt = 3, reason = '429 rate limit') =>
      recordStripeSyncRetry(dataSource, id(name), { attempt, reason, delayMs: nextInSeconds * 1000 });
    afterEach(() => dataSource.query(`DELETE FROM stripe_sync_attempts`));

    it('pending, paused without a key, failed and why, synced: from the latest command of the streams', async () => {
      expect(await latest(`customer-${A}`)).toMatchObject({ state: 'synced', commandEventId: id('c1'), reason: null });
      expect(await latest(`customer-${B}`)).toMatchObject({ state: 'failed', reason: 'No such customer', attempts: 5 });
      expect(await latest(subscription)).toEqual({
        state: 'pending',
        reason: null,
        attempts: 0,
        lastAttemptAt: null,
        nextAttemptAt: null,
        commandEventId: id('c6'),
        commandEventType: 'SubscriptionPlanChanged',
        occurredAt: iso(700),
        actor: 'alice',
      });
      expect(await latest(subscription, paused)).toMatchObject({ state: 'paused', reason: PAUSED_REASON });
      expect(await latest('customer-nobody')).toBeNull();
    });

    it('retrying while the worker waits to try again: the attempt, the reason, when; the latest retry wins', async () => {
      await retry('c6', 2);
      const sync = await latest(subscription);
      expect(sync).toEqual({
        state: 'retrying',
        reason: '429 rate limit',
        attempts: 3,
        lastAttemptAt: expect.any(String),
        nextAttemptAt: expect.any(String),
        commandEventId: id('c6'),
        commandEventType: 'SubscriptionPlanChanged',
        occurredAt: iso(700),
        actor: 'alice',
      });
      expect(Date.parse(sync!.nextAttemptAt!) - Date.parse(sync!.lastAttemptAt!)).toBeGreaterThan(1_000);
      // A worker recording retries is running, whatever this api's configuration says.
      expect(await latest(subscription, paused)).toMatchObject({ state: 'retrying' });
      await retry('c6', 4, 4, '503 server error');
      expect(await latest(subscription)).toMatchObject({ state: 'retrying', attempts: 4, reason: '503 server error' });
    });

    it('ignores a retry once the command has an outcome, and one whose next attempt is long past', async () => {
      await retry('c1', 2);
      await retry('c3', 2);
      expect(await latest(`customer-${A}`)).toMatchObject({ state: 'synced', nextAttemptAt: null });
      expect(await latest(`customer-${B}`)).toMatchObject({ state: 'failed', attempts: 5 });
      // Due two minutes ago: the worker that wrote it stopped (a crash, a handover, the key removed).
      await retry('c6', -120);
      expect(await latest(subscription)).toMatchObject({ state: 'pending' });
      expect(await latest(subscription, paused)).toMatchObject({ state: 'paused' });
    });

    it('counts and lists the commands being retried for /admin/stripe-sync', async () => {
      await retry('c6', 2);
      await retry('c1', 2);
      expect(await stripeSyncSummary(dataSource)).toMatchObject({ pending: 2, retrying: 1, synced: 3, failed: 1 });
      const page = { limit: 50, offset: 0 };
      const [retried, ...others] = (await listStripeSync(dataSource, { status: 'retrying' }, page)).data;
      expect(others).toEqual([]);
      expect(retried).toMatchObject({
        commandEventId: id('c6'),
        status: 'pending',
        retrying: { attempt: 3, reason: '429 rate limit', lastAttemptAt: expect.any(String) },
      });
      expect(Date.parse(retried!.retrying!.nextAttemptAt)).toBeGreaterThan(Date.now());
      const all = (await listStripeSync(dataSource, {}, page)).data;
      expect(all.filter((row) => row.retrying !== null).map((row) => row.commandEventId)).toEqual([id('c6')]);
    });

    it('forgets a command’s retry once it has its outcome, and rows a stopped worker left a day ago', async () => {
      await retry('c6', 2);
      await retry('c5', 2);
      await retry('c2', 2);
      await dataSource.query(
        `UPDATE stripe_sync_attempts SET last_attempt_at = now() - interval '2 days' WHERE command_event_id = $1`,
        [id('c2')],
      );
      await forgetStripeSyncRetries(dataSource, id('c6'));
      const left: { command_event_id: string }[] = await dataSource.query(
        `SELECT command_event_id FROM stripe_sync_attempts`,
      );
      expect(left.map((row) => row.command_event_id)).toEqual([id('c5')]);
    });

    it('is not part of the projection: a rebuild switching stripe_sync over keeps the retries', async () => {
      expect(projector.tables).toEqual(['stripe_sync']);
      await retry('c6', 2);
      // What the Rebuilder does at the switch (libs/projections/src/rebuilder.ts).
      await dataSource.query(`CREATE TABLE stripe_sync__next (LIKE stripe_sync INCLUDING ALL)`);
      await dataSource.query(`INSERT INTO stripe_sync__next SELECT * FROM stripe_sync`);
      await dataSource.query(`ALTER TABLE stripe_sync RENAME TO stripe_sync__old`);
      await dataSource.query(`ALTER TABLE stripe_sync__next RENAME TO stripe_sync`);
      await dataSource.query(`DROP TABLE stripe_sync__old`);
      expect(await latest(subscription)).toMatchObject({ state: 'retrying', attempts: 3 });
    });
  });
});
