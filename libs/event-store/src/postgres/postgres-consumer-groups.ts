import { isUuid } from '../append-validation';
import { validateGroupSettings } from '../consumer-group-settings';
import type { Pool, PoolClient } from 'pg';
import { ConsumerGroupExistsError, ConsumerGroupNotFoundError, NotOutstandingError } from '../errors';
import type {
  ConsumerGroupInfo,
  ConsumerGroupMember,
  ConsumerGroups,
  ConsumerGroupSettings,
  EventFilter,
  GroupDelivery,
  ParkedEvent,
} from '../event-store.port';
import type { PostgresStoreAccess } from './store-access';
import type { AppendNotifier } from './append-notifier';
import { EVENT_COLUMNS, type EventRow, filterConditions, toRecordedEvent } from './rows';

const ENQUEUE_BATCH = 500;
const EVENT_COLUMNS_OF_E = EVENT_COLUMNS.split(', ')
  .map((column) => `e.${column}`)
  .join(', ');

interface GroupRow {
  name: string;
  filter: EventFilter;
  ack_timeout_ms: number;
  max_deliveries: number;
  enqueued_up_to: string;
}

/**
 * Consumer groups on PostgreSQL. A group copies matching events, in position order, into its
 * message table as they are needed; members lease messages (state `inflight` until `visible_at`),
 * and an unacked lease that runs out counts as a failed delivery. Every change happens under the
 * group row's lock, so members never receive the same message at the same time.
 */
export class PostgresConsumerGroups implements ConsumerGroups {
  constructor(
    private readonly pool: Pool,
    private readonly store: PostgresStoreAccess,
  ) {}

  get notifier(): AppendNotifier {
    return this.store.notifier;
  }

  async create(name: string, settings: ConsumerGroupSettings = {}): Promise<void> {
    const { ackTimeoutMs, maxDeliveries, from } = validateGroupSettings(name, settings);
    const start = from === 'start' ? 0n : from === 'end' ? await this.store.headPosition() : from;
    const result = await this.pool.query(
      `INSERT INTO event_store.consumer_groups (name, filter, ack_timeout_ms, max_deliveries, enqueued_up_to)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (name) DO NOTHING`,
      [name, JSON.stringify(settings.filter ?? {}), ackTimeoutMs, maxDeliveries, start.toString()],
    );
    if (result.rowCount === 0) throw new ConsumerGroupExistsError(name);
  }

  async get(name: string): Promise<ConsumerGroupInfo> {
    const [info] = await this.describe(name);
    if (!info) throw new ConsumerGroupNotFoundError(name);
    return info;
  }

  list(): Promise<ConsumerGroupInfo[]> {
    return this.describe(null);
  }

  private async describe(name: string | null): Promise<ConsumerGroupInfo[]> {
    const result = await this.pool.query<
      GroupRow & { lowest_open: string | null; outstanding: string; parked: string }
    >(
      `SELECT g.*,
              (SELECT min(position) FROM event_store.consumer_group_messages m
                WHERE m.group_name = g.name AND m.state <> 'parked') AS lowest_open,
              (SELECT count(*) FROM event_store.consumer_group_messages m
                WHERE m.group_name = g.name AND m.state <> 'parked') AS outstanding,
              (SELECT count(*) FROM event_store.consumer_group_messages m
                WHERE m.group_name = g.name AND m.state = 'parked') AS parked
         FROM event_store.consumer_groups g
        WHERE $1::text IS NULL OR g.name = $1
        ORDER BY g.name`,
      [name],
    );
    return result.rows.map((row) => ({
      name: row.name,
      filter: row.filter,
      ackTimeoutMs: row.ack_timeout_ms,
      maxDeliveries: row.max_deliveries,
      checkpoint: row.lowest_open === null ? BigInt(row.enqueued_up_to) : BigInt(row.lowest_open) - 1n,
      outstanding: Number(row.outstanding),
      parked: Number(row.parked),
    }));
  }

  async delete(name: string): Promise<void> {
    const result = await this.pool.query('DELETE FROM event_store.consumer_groups WHERE name = $1', [name]);
    if (result.rowCount === 0) throw new ConsumerGroupNotFoundError(name);
  }

  async join(name: string, memberId: string): Promise<ConsumerGroupMember> {
    await this.get(name);
    if (typeof memberId !== 'string' || memberId.trim() === '')
      throw new RangeError('memberId must be a non-empty string');
    return new PostgresGroupMember(name, memberId, this);
  }

  async listParked(name: string): Promise<ParkedEvent[]> {
    await this.get(name);
    const result = await this.pool.query<
      EventRow & { delivery_count: number; last_error: string | null; parked_at: Date }
    >(
      `SELECT ${EVENT_COLUMNS_OF_E},
              m.delivery_count, m.last_error, m.parked_at
         FROM event_store.consumer_group_messages m JOIN event_store.events e USING (position)
        WHERE m.group_name = $1 AND m.state = 'parked' ORDER BY m.position`,
      [name],
    );
    return result.rows.map((row) => ({
      event: toRecordedEvent(row),
      deliveryCount: row.delivery_count,
      reason: row.last_error,
      parkedAt: row.parked_at.toISOString(),
    }));
  }

  async replayParked(name: string, eventIds?: string[]): Promise<number> {
    await this.get(name);
    const result = await this.pool.query(
      `UPDATE event_store.consumer_group_messages
          SET state = 'ready', delivery_count = 0, visible_at = now(), parked_at = NULL, member_id = NULL
        WHERE group_name = $1 AND state = 'parked' AND ($2::uuid[] IS NULL OR event_id = ANY($2::uuid[]))`,
      [name, eventIds ?? null],
    );
    return result.rowCount ?? 0;
  }

  /** Leases up to `max` due messages to a member; null when the group no longer exists. */
  async lease(name: string, memberId: string, max: number): Promise<GroupDelivery[] | null> {
    return this.store.transaction(async (client) => {
      const group = await lockGroup(client, name);
      if (!group) return null;
      await expireLeases(client, group);
      await enqueue(client, group, max);
      const leased = await client.query<EventRow & { delivery_count: number }>(
        `WITH due AS (
           SELECT position FROM event_store.consumer_group_messages
            WHERE group_name = $1 AND state = 'ready' AND visible_at <= now()
            ORDER BY position LIMIT $2
         ), leased AS (
           UPDATE event_store.consumer_group_messages m
              SET state = 'inflight', member_id = $3, delivery_count = m.delivery_count + 1,
                  visible_at = now() + make_interval(secs => $4::double precision / 1000)
             FROM due WHERE m.group_name = $1 AND m.position = due.position
           RETURNING m.position, m.delivery_count
         )
         SELECT ${EVENT_COLUMNS_OF_E}, leased.delivery_count
           FROM leased JOIN event_store.events e USING (position) ORDER BY e.position`,
        [name, max, memberId, group.ack_timeout_ms],
      );
      return leased.rows.map((row) => ({ event: toRecordedEvent(row), deliveryCount: row.delivery_count }));
    });
  }

  async ack(name: string, memberId: string, eventIds: string[]): Promise<void> {
    if (eventIds.length === 0) return;
    await this.store.transaction(async (client) => {
      const group = await lockGroup(client, name);
      if (!group) throw new ConsumerGroupNotFoundError(name);
      const deleted = await client.query<{ event_id: string }>(
        `DELETE FROM event_store.consumer_group_messages
          WHERE group_name = $1 AND member_id = $2 AND state = 'inflight' AND event_id = ANY($3::uuid[])
          RETURNING event_id`,
        [name, memberId, eventIds.filter(isUuid)],
      );
      const acked = new Set(deleted.rows.map((row) => row.event_id));
      const missing = eventIds.find((id) => !acked.has(id.toLowerCase()));
      if (missing !== undefined) throw new NotOutstandingError(name, missing); // rolls the whole ack back
    });
  }

  async nack(name: string, memberId: string, eventId: string, park: boolean, reason: string | null): Promise<void> {
    await this.store.transaction(async (client) => {
      const group = await lockGroup(client, name);
      if (!group) throw new ConsumerGroupNotFoundError(name);
      const updated = await client.query(
        `UPDATE event_store.consumer_group_messages
            SET state = CASE WHEN $4 OR delivery_count >= $5 THEN 'parked' ELSE 'ready' END,
                parked_at = CASE WHEN $4 OR delivery_count >= $5 THEN now() END,
                visible_at = now() + make_interval(secs => least(0.1 * 2 ^ (delivery_count - 1), 10)),
                member_id = NULL, last_error = $6
          WHERE group_name = $1 AND member_id = $2 AND state = 'inflight' AND event_id = $3::uuid`,
        [name, memberId, isUuid(eventId) ? eventId : null, park, group.max_deliveries, reason],
      );
      if (updated.rowCount === 0) throw new NotOutstandingError(name, eventId);
    });
  }

  /** A member that leaves cleanly hands its leases back at once instead of letting them time out. */
  async release(name: string, memberId: string): Promise<void> {
    await this.pool.query(
      `UPDATE event_store.consumer_group_messages SET state = 'ready', member_id = NULL, visible_at = now()
        WHERE group_name = $1 AND member_id = $2 AND state = 'inflight'`,
      [name, memberId],
    );
  }
}

class PostgresGroupMember implements ConsumerGroupMember {
  private closed = false;
  private readonly abort = new AbortController();

  constructor(
    readonly group: string,
    readonly memberId: string,
    private readonly groups: PostgresConsumerGroups,
  ) {}

  async receive(max: number, waitMs = 0, options: { signal?: AbortSignal } = {}): Promise<GroupDelivery[]> {
    if (!Number.isInteger(max) || max < 1) throw new RangeError('max must be a positive integer');
    const deadline = Date.now() + waitMs;
    const stop = options.signal ? AbortSignal.any([this.abort.signal, options.signal]) : this.abort.signal;
    for (;;) {
      if (this.closed || options.signal?.aborted) return [];
      const deliveries = await this.groups.lease(this.group, this.memberId, max);
      if (deliveries === null) throw new ConsumerGroupNotFoundError(this.group);
      const remaining = deadline - Date.now();
      if (deliveries.length || remaining <= 0) return deliveries;
      // Leases of other members can expire without any append, so never wait long without looking.
      await this.groups.notifier.waitForAppend(Math.min(remaining, 250), stop);
    }
  }

  ack(eventIds: string[]): Promise<void> {
    return this.groups.ack(this.group, this.memberId, eventIds);
  }

  nack(eventId: string, options: { park?: boolean; reason?: string } = {}): Promise<void> {
    return this.groups.nack(this.group, this.memberId, eventId, options.park ?? false, options.reason ?? null);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.abort.abort();
    await this.groups.release(this.group, this.memberId);
  }
}

async function lockGroup(client: PoolClient, name: string): Promise<GroupRow | null> {
  const result = await client.query<GroupRow>('SELECT * FROM event_store.consumer_groups WHERE name = $1 FOR UPDATE', [
    name,
  ]);
  return result.rows[0] ?? null;
}

/** Leases that ran out count as failed deliveries: back in line, or parked after the last one. */
async function expireLeases(client: PoolClient, group: GroupRow): Promise<void> {
  await client.query(
    `UPDATE event_store.consumer_group_messages
        SET state = CASE WHEN delivery_count >= $2 THEN 'parked' ELSE 'ready' END,
            parked_at = CASE WHEN delivery_count >= $2 THEN now() END,
            member_id = NULL, last_error = 'not acknowledged within ' || $3 || ' ms'
      WHERE group_name = $1 AND state = 'inflight' AND visible_at <= now()`,
    [group.name, group.max_deliveries, group.ack_timeout_ms],
  );
}

/** Copies the next matching events from the store into the group, keeping a small backlog ready. */
async function enqueue(client: PoolClient, group: GroupRow, wanted: number): Promise<void> {
  const ready = await client.query<{ count: string }>(
    `SELECT count(*) FROM event_store.consumer_group_messages WHERE group_name = $1 AND state = 'ready'`,
    [group.name],
  );
  if (Number(ready.rows[0]!.count) >= wanted) return;
  const params: unknown[] = [group.enqueued_up_to, Math.max(wanted, ENQUEUE_BATCH)];
  const conditions = ['position > $1', ...filterConditions(group.filter, params)];
  params.push(group.name);
  const groupParam = `$${params.length}`;
  const result = await client.query<{ enqueued: string | null; head: string }>(
    `WITH head AS (SELECT coalesce(max(position), 0) AS head FROM event_store.events),
     picked AS (
       SELECT position, event_id FROM event_store.events, head
        WHERE ${conditions.join(' AND ')} AND position <= head.head
        ORDER BY position LIMIT $2
     ), inserted AS (
       INSERT INTO event_store.consumer_group_messages (group_name, position, event_id, state)
       SELECT ${groupParam}, position, event_id, 'ready' FROM picked
       RETURNING position
     )
     SELECT (SELECT max(position) FROM inserted) AS enqueued, (SELECT head FROM head) AS head,
            (SELECT count(*) FROM inserted) AS count`,
    params,
  );
  const row = result.rows[0] as { enqueued: string | null; head: string; count: string };
  const full = Number(row.count) === params[1];
  const upTo = full ? BigInt(row.enqueued!) : BigInt(row.head);
  if (upTo > BigInt(group.enqueued_up_to)) {
    await client.query('UPDATE event_store.consumer_groups SET enqueued_up_to = $2 WHERE name = $1', [
      group.name,
      upTo.toString(),
    ]);
  }
}
