import { Pool, type PoolClient, type PoolConfig } from 'pg';
import {
  categoryOf,
  dataJsonText,
  isUuid,
  validateEvents,
  validateExpectedRevision,
  validateStreamName,
} from '../append-validation';
import type {
  AppendOptions,
  AppendResult,
  ConsumerGroups,
  EventStore,
  EventStoreHealth,
  NewEvent,
  ReadAllOptions,
  ReadAllResult,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeToAllOptions,
  Subscription,
} from '../event-store.port';
import { AppendNotifier } from './append-notifier';
import { GroupCommitter } from './group-commit';
import { PostgresConsumerGroups } from './postgres-consumer-groups';
import { PostgresSubscription } from './postgres-subscription';
import { EVENT_COLUMNS, type EventRow, filterConditions, toRecordedEvent } from './rows';
import { SharedLogReader } from './shared-log-reader';
import type { PostgresStoreAccess } from './store-access';

const MAX_READ = 10_000;
const DEFAULT_READ_ALL = 1_000;

export interface PostgresEventStoreOptions {
  connectionString: string;
  /** Connections for reads; appends have two of their own and LISTEN one more. */
  poolSize?: number;
  /** How often waiting subscribers re-check when no notification arrives. */
  pollIntervalMs?: number;
  applicationName?: string;
  /**
   * Subscriptions that are near each other in the log share one read of it (default true). Off,
   * each reads on its own, as a benchmark's baseline.
   */
  sharedReads?: boolean;
}

/**
 * The PostgreSQL event store. Positions are assigned in commit order under a store-wide advisory
 * lock held from position assignment to commit, so a reader that has seen position N can never
 * later find an event below N: see docs/decisions/0001-postgres-global-order.md.
 */
export class PostgresEventStore implements EventStore, PostgresStoreAccess {
  readonly adapter = 'postgres' as const;
  readonly consumerGroups: ConsumerGroups;
  readonly notifier: AppendNotifier;
  readonly pollIntervalMs: number;
  private readonly pool: Pool;
  private readonly subscriptions = new Set<PostgresSubscription>();
  private readonly committer: GroupCommitter;
  private readonly sharedReads: SharedLogReader | null;

  constructor(options: PostgresEventStoreOptions) {
    const config: PoolConfig = {
      connectionString: options.connectionString,
      // Every subscription's read and read-ahead (thirteen projectors in the worker).
      max: options.poolSize ?? 20,
      application_name: options.applicationName ?? 'ledgerline-event-store',
    };
    this.pool = new Pool(config);
    // An idle client's error (server restart) must not crash the process; the next query reconnects.
    this.pool.on('error', () => undefined);
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.notifier = new AppendNotifier({
      connection: { connectionString: options.connectionString },
      pollIntervalMs: this.pollIntervalMs,
    });
    this.consumerGroups = new PostgresConsumerGroups(this.pool, this);
    this.committer = new GroupCommitter(config);
    this.sharedReads =
      options.sharedReads === false
        ? null
        : new SharedLogReader(
            (after, upTo) => this.readRange(after, upTo),
            () => this.notifier.generation,
          );
  }

  append(stream: string, events: NewEvent[], options?: AppendOptions): Promise<AppendResult> {
    try {
      validateStreamName(stream);
      const expected = validateExpectedRevision(options);
      const valid = validateEvents(events);
      return new Promise((resolve, reject) =>
        this.committer.submit({
          stream,
          category: categoryOf(stream),
          expected: typeof expected === 'bigint' ? expected.toString() : expected,
          ids: valid.map((event) => event.id),
          types: valid.map((event) => event.type),
          data: valid.map((event) => dataJsonText(event.data)),
          metadata: valid.map((event) => JSON.stringify(event.metadata)),
          resolve,
          reject,
          retries: 2,
        }),
      );
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    validateStreamName(stream);
    const backwards = options.direction === 'backwards';
    // A stream is read whole unless the caller pages: an aggregate's history is never truncated.
    const params: unknown[] = [stream, options.maxCount === undefined ? null : clampCount(options.maxCount)];
    let bound = '';
    if (options.fromRevision !== undefined) {
      params.push(options.fromRevision.toString());
      bound = `AND stream_revision ${backwards ? '<=' : '>='} $3`;
    }
    const result = await this.pool.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM event_store.events WHERE stream_name = $1 ${bound}
       ORDER BY stream_revision ${backwards ? 'DESC' : 'ASC'} LIMIT $2`,
      params,
    );
    return result.rows.map(toRecordedEvent);
  }

  async readAll(options: ReadAllOptions = {}): Promise<ReadAllResult> {
    const backwards = options.direction === 'backwards';
    const limit = clampCount(options.maxCount ?? DEFAULT_READ_ALL);
    const params: unknown[] = [limit];
    const conditions = filterConditions(options.filter, params);
    if (backwards) {
      if (options.from !== undefined) {
        params.push(options.from.toString());
        conditions.push(`position < $${params.length}`);
      }
      const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
      const result = await this.pool.query<EventRow>(
        `SELECT ${EVENT_COLUMNS} FROM event_store.events ${where} ORDER BY position DESC LIMIT $1`,
        params,
      );
      const events = result.rows.map(toRecordedEvent);
      return { events, nextFrom: events.length ? events[events.length - 1]!.position : (options.from ?? 0n) };
    }
    return this.readForwards(options.from ?? 0n, limit, conditions, params);
  }

  /**
   * Reads forwards up to the head, which is read first and passed as a bound: with the bound known,
   * the planner walks the primary key and stops at the limit. (Computed inside the same statement,
   * the bound is a guess, and the planner chose to sort every later event of the log per batch.)
   * Positions are commit-ordered, so everything up to the head is committed and visible.
   */
  private async readForwards(
    from: bigint,
    limit: number,
    conditions: string[],
    params: unknown[],
  ): Promise<ReadAllResult> {
    const head = await this.headPosition();
    if (head <= from) return { events: [], nextFrom: from, headPosition: head };
    if (conditions.length) return this.readForwardsFiltered(from, head, limit, conditions, params);
    params.push(from.toString(), head.toString());
    const result = await this.pool.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM event_store.events
        WHERE position > $${params.length - 1} AND position <= $${params.length}
        ORDER BY position LIMIT $1`,
      params,
    );
    const events = result.rows.map(toRecordedEvent);
    const nextFrom = events.length === limit ? events[events.length - 1]!.position : head;
    return { events, nextFrom, headPosition: head };
  }

  /**
   * A filtered read scans a bounded window of positions in order and returns the matches in it, so
   * its cost is linear however rare the matches. A short batch says where the scan stopped
   * (`nextFrom`) and the head (`headPosition`), so the caller reads on at once instead of waiting
   * for an append.
   */
  private async readForwardsFiltered(
    from: bigint,
    head: bigint,
    limit: number,
    conditions: string[],
    params: unknown[],
  ): Promise<ReadAllResult> {
    params.push(from.toString(), head.toString(), Math.min(Math.max(limit * 8, 10_000), 100_000));
    const [fromParam, headParam, windowParam] = [params.length - 2, params.length - 1, params.length];
    const result = await this.pool.query<EventRow & { scanned_to: string | null }>(
      `WITH scanned AS MATERIALIZED (
         SELECT position, (${conditions.join(' AND ')}) AS matches FROM event_store.events
          WHERE position > $${fromParam} AND position <= $${headParam}
          ORDER BY position LIMIT $${windowParam})
       SELECT e.*, s.scanned_to FROM (SELECT max(position) AS scanned_to FROM scanned) s
         LEFT JOIN LATERAL (
           SELECT ${EVENT_COLUMNS} FROM event_store.events
            WHERE position IN (SELECT position FROM scanned WHERE matches ORDER BY position LIMIT $1)
            ORDER BY position
         ) e ON true`,
      params,
    );
    const scannedTo = result.rows[0]?.scanned_to ? BigInt(result.rows[0].scanned_to) : head;
    const events = result.rows.filter((row) => row.position !== null).map(toRecordedEvent);
    const nextFrom = events.length === limit ? events[events.length - 1]!.position : scannedTo;
    return { events, nextFrom, headPosition: head };
  }

  /**
   * A subscription's next batch: through the shared reader when another subscription is reading
   * near the same place (the worker's projectors, live or catching up together), else on its own,
   * filtered in the database, which is cheaper for one reader of a rare event type.
   */
  readForSubscription(
    reader: { position: bigint },
    from: bigint,
    maxCount: number,
    filter?: ReadAllOptions['filter'],
  ): Promise<ReadAllResult> {
    const shared = this.sharedReads;
    if (!shared) return this.readAll({ from, maxCount, filter });
    const near = (position: bigint) => (position > from ? position - from : from - position) <= shared.reach;
    const sharing =
      shared.covers(from) || [...this.subscriptions].some((other) => other !== reader && near(other.position));
    return sharing ? shared.read(from, maxCount, filter) : this.readAll({ from, maxCount, filter });
  }

  /** Every event of (after, upTo] and the head, in one snapshot: a shared window's read. */
  async readRange(after: bigint, upTo: bigint): Promise<{ events: RecordedEvent[]; head: bigint }> {
    const result = await this.pool.query<EventRow & { head: string }>(
      `SELECT h.head, e.* FROM (SELECT coalesce(max(position), 0) AS head FROM event_store.events) h
         LEFT JOIN LATERAL (
           SELECT ${EVENT_COLUMNS} FROM event_store.events WHERE position > $1 AND position <= $2 ORDER BY position
         ) e ON true`,
      [after.toString(), upTo.toString()],
    );
    const head = BigInt(result.rows[0]?.head ?? 0);
    const events = result.rows.filter((row) => row.position !== null).map(toRecordedEvent);
    return { events, head };
  }

  async readEventById(eventId: string): Promise<RecordedEvent | null> {
    if (!isUuid(eventId)) return null;
    const result = await this.pool.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM event_store.events WHERE event_id = $1`,
      [eventId],
    );
    return result.rows[0] ? toRecordedEvent(result.rows[0]) : null;
  }

  async headPosition(): Promise<bigint> {
    const result = await this.pool.query<{ head: string }>(
      'SELECT coalesce(max(position), 0) AS head FROM event_store.events',
    );
    return BigInt(result.rows[0]!.head);
  }

  subscribeToAll(options: SubscribeToAllOptions): Subscription {
    const subscription = new PostgresSubscription(this, options, () => this.subscriptions.delete(subscription));
    this.subscriptions.add(subscription);
    subscription.start();
    return subscription;
  }

  async readCheckpoint(checkpointId: string): Promise<bigint | null> {
    const result = await this.pool.query<{ position: string }>(
      'SELECT position FROM event_store.checkpoints WHERE checkpoint_id = $1',
      [checkpointId],
    );
    return result.rows[0] ? BigInt(result.rows[0].position) : null;
  }

  async storeCheckpoint(checkpointId: string, position: bigint): Promise<void> {
    await this.pool.query(
      `INSERT INTO event_store.checkpoints (checkpoint_id, position) VALUES ($1, $2)
       ON CONFLICT (checkpoint_id) DO UPDATE SET position = EXCLUDED.position, updated_at = now()`,
      [checkpointId, position.toString()],
    );
  }

  async health(): Promise<EventStoreHealth> {
    try {
      return { adapter: this.adapter, status: 'up', headPosition: await this.headPosition() };
    } catch (error) {
      return { adapter: this.adapter, status: 'down', error: (error as Error).message };
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.subscriptions].map((subscription) => subscription.stop()));
    this.sharedReads?.clear();
    await this.notifier.close();
    await Promise.all([this.pool.end(), this.committer.close()]);
  }

  async transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}

function clampCount(maxCount: number): number {
  if (!Number.isInteger(maxCount) || maxCount < 1) throw new RangeError(`maxCount must be a positive integer`);
  return Math.min(maxCount, MAX_READ);
}
