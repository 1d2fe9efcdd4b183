import { Pool, type PoolClient, type PoolConfig } from 'pg';
import { categoryOf, validateEvents, validateExpectedRevision, validateStreamName } from '../append-validation';
import { IdempotencyConflictError, WrongExpectedRevisionError } from '../errors';
import type {
  AppendOptions,
  AppendResult,
  ConsumerGroups,
  EventStore,
  EventStoreHealth,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadAllResult,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeToAllOptions,
  Subscription,
} from '../event-store.port';
import { APPEND_CHANNEL, AppendNotifier } from './append-notifier';
import { PostgresConsumerGroups } from './postgres-consumer-groups';
import { PostgresSubscription } from './postgres-subscription';
import { EVENT_COLUMNS, type EventRow, filterConditions, toRecordedEvent } from './rows';

/** Two-int advisory lock key space (distinct from the one-bigint space used for streams). */
const GLOBAL_APPEND_LOCK = [0x4c4c, 1] as const; // 'LL', 1
const UNIQUE_VIOLATION = '23505';
const MAX_READ = 10_000;
const DEFAULT_READ_ALL = 1_000;

export interface PostgresEventStoreOptions {
  connectionString: string;
  /** Connections for appends and reads; LISTEN uses one more. */
  poolSize?: number;
  /** How often waiting subscribers re-check when no notification arrives. */
  pollIntervalMs?: number;
  applicationName?: string;
}

/**
 * The PostgreSQL event store. Positions are assigned in commit order under a store-wide advisory
 * lock held from position assignment to commit, so a reader that has seen position N can never
 * later find an event below N: see docs/decisions/0001-postgres-global-order.md.
 */
export class PostgresEventStore implements EventStore {
  readonly adapter = 'postgres' as const;
  readonly consumerGroups: ConsumerGroups;
  readonly notifier: AppendNotifier;
  readonly pollIntervalMs: number;
  private readonly pool: Pool;
  private readonly subscriptions = new Set<PostgresSubscription>();

  constructor(options: PostgresEventStoreOptions) {
    const config: PoolConfig = {
      connectionString: options.connectionString,
      max: options.poolSize ?? 10,
      application_name: options.applicationName ?? 'ledgerline-event-store',
    };
    this.pool = new Pool(config);
    // An idle client's error (server restart) must not crash the process; the next query reconnects.
    this.pool.on('error', () => undefined);
    this.notifier = new AppendNotifier({ connectionString: options.connectionString });
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.consumerGroups = new PostgresConsumerGroups(this.pool, this);
  }

  async append(stream: string, events: NewEvent[], options?: AppendOptions): Promise<AppendResult> {
    validateStreamName(stream);
    const expected = validateExpectedRevision(options);
    const valid = validateEvents(events);
    const rows = valid.map((event) => ({
      ...event,
      dataJson: JSON.stringify(event.data),
      metadataJson: JSON.stringify(event.metadata),
    }));
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.transaction((client) => this.appendIn(client, stream, expected, rows));
      } catch (error) {
        // The same id committed concurrently into another stream: retrying finds it and reports it.
        if ((error as { code?: string }).code === UNIQUE_VIOLATION && attempt < 3) continue;
        throw error;
      }
    }
  }

  private async appendIn(
    client: PoolClient,
    stream: string,
    expected: ExpectedRevision,
    rows: { id: string; type: string; dataJson: string; metadataJson: string }[],
  ): Promise<AppendResult> {
    const ids = rows.map((row) => row.id);
    // Serialises appends to one stream (and creation of a stream that does not exist yet).
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [stream]);

    const stored = await client.query<{ event_id: string; stream_name: string; stream_revision: string; position: string }>(
      `SELECT event_id, stream_name, stream_revision, position FROM event_store.events WHERE event_id = ANY($1::uuid[])`,
      [ids],
    );
    if (stored.rowCount) return this.duplicateResult(stream, ids, stored.rows);

    const current = await client.query<{ revision: string }>(
      'SELECT revision FROM event_store.streams WHERE stream_name = $1',
      [stream],
    );
    const revision = current.rows[0] ? BigInt(current.rows[0].revision) : null;
    assertExpectedRevision(stream, expected, revision);

    await client.query('SELECT pg_advisory_xact_lock($1, $2)', GLOBAL_APPEND_LOCK);
    const first = revision === null ? 0n : revision + 1n;
    const inserted = await client.query<{ event_id: string; stream_revision: string; position: string }>(
      `INSERT INTO event_store.events
         (position, event_id, stream_name, stream_revision, category, type, data, metadata, recorded_at)
       SELECT head.position + e.ord, e.id, $1, $2::bigint + e.ord - 1, $3, e.type, e.data, e.metadata, clock_timestamp()
         FROM unnest($4::uuid[], $5::text[], $6::json[], $7::jsonb[]) WITH ORDINALITY AS e(id, type, data, metadata, ord),
              (SELECT coalesce(max(position), 0) AS position FROM event_store.events) AS head
       RETURNING event_id, stream_revision, position`,
      [
        stream,
        first.toString(),
        categoryOf(stream),
        ids,
        rows.map((row) => row.type),
        rows.map((row) => row.dataJson),
        rows.map((row) => row.metadataJson),
      ],
    );
    const appended = inserted.rows
      .map((row) => ({ id: row.event_id, revision: BigInt(row.stream_revision), position: BigInt(row.position) }))
      .sort((a, b) => (a.revision < b.revision ? -1 : 1));
    const last = appended[appended.length - 1]!;
    await client.query(
      `INSERT INTO event_store.streams (stream_name, category, revision) VALUES ($1, $2, $3)
       ON CONFLICT (stream_name) DO UPDATE SET revision = EXCLUDED.revision, updated_at = now()`,
      [stream, categoryOf(stream), last.revision.toString()],
    );
    await client.query('SELECT pg_notify($1, $2)', [APPEND_CHANNEL, last.position.toString()]);
    return { stream, duplicate: false, events: appended, nextExpectedRevision: last.revision };
  }

  private duplicateResult(
    stream: string,
    ids: string[],
    stored: { event_id: string; stream_name: string; stream_revision: string; position: string }[],
  ): AppendResult {
    const foreign = stored.filter((row) => row.stream_name !== stream);
    if (foreign.length) {
      throw new IdempotencyConflictError(
        stream,
        foreign.map((row) => row.event_id),
        `event ${foreign[0]!.event_id} is already stored in stream "${foreign[0]!.stream_name}"`,
      );
    }
    if (stored.length !== ids.length) {
      const storedIds = new Set(stored.map((row) => row.event_id));
      throw new IdempotencyConflictError(
        stream,
        ids.filter((id) => storedIds.has(id)),
        `${stored.length} of the ${ids.length} events are already stored; an append is all or nothing`,
      );
    }
    const byId = new Map(stored.map((row) => [row.event_id, row]));
    const events = ids.map((id) => {
      const row = byId.get(id)!;
      return { id, revision: BigInt(row.stream_revision), position: BigInt(row.position) };
    });
    const lastRevision = events.reduce((max, e) => (e.revision > max ? e.revision : max), -1n);
    return { stream, duplicate: true, events, nextExpectedRevision: lastRevision };
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
   * Reads forwards up to the head as it stands in this statement's snapshot, so that with a filter
   * the caller can move past the scanned range even when nothing in it matched.
   */
  private async readForwards(from: bigint, limit: number, conditions: string[], params: unknown[]): Promise<ReadAllResult> {
    params.push(from.toString());
    conditions.push(`position > $${params.length}`);
    const result = await this.pool.query<EventRow & { head: string }>(
      `WITH head AS (SELECT coalesce(max(position), 0) AS head FROM event_store.events)
       SELECT ${EVENT_COLUMNS}, head.head FROM head
         LEFT JOIN LATERAL (
           SELECT * FROM event_store.events WHERE ${conditions.join(' AND ')} AND position <= head.head
           ORDER BY position LIMIT $1
         ) e ON true`,
      params,
    );
    const head = BigInt(result.rows[0]?.head ?? '0');
    const rows = result.rows.filter((row) => row.position !== null);
    const events = rows.map(toRecordedEvent);
    const nextFrom = events.length === limit ? events[events.length - 1]!.position : head > from ? head : from;
    return { events, nextFrom };
  }

  async readEventById(eventId: string): Promise<RecordedEvent | null> {
    if (!/^[0-9a-f-]{36}$/i.test(eventId)) return null;
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
    await this.notifier.close();
    await this.pool.end();
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

function assertExpectedRevision(stream: string, expected: ExpectedRevision, actual: bigint | null): void {
  const ok =
    expected === 'any' ||
    (expected === 'no_stream' && actual === null) ||
    (expected === 'stream_exists' && actual !== null) ||
    (typeof expected === 'bigint' && actual === expected);
  if (!ok) throw new WrongExpectedRevisionError(stream, String(expected), actual);
}

function clampCount(maxCount: number): number {
  if (!Number.isInteger(maxCount) || maxCount < 1) throw new RangeError(`maxCount must be a positive integer`);
  return Math.min(maxCount, MAX_READ);
}
