import { Pool, type PoolClient, type PoolConfig } from 'pg';
import { IdempotencyConflictError, WrongExpectedRevisionError } from '../errors';
import type { AppendedEvent, AppendResult } from '../event-store.port';
import { type AppendDecision, decideBatch, type StoredEvent } from './batch-decision';
import { jsonArrayParam, jsonbArrayParam } from './binary-array';

export interface PendingAppend {
  stream: string;
  category: string;
  /** 'any' | 'no_stream' | 'stream_exists' | a revision as decimal text. */
  expected: string;
  ids: string[];
  types: string[];
  /** Each event's data and metadata, already JSON text. */
  data: string[];
  metadata: string[];
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
  /** Retries left after a batch lost a race with another process (unique violation, deadlock). */
  retries: number;
}

interface StateRow {
  out_kind: 'event' | 'stream';
  out_event_id: string | null;
  out_stream: string;
  out_revision: string;
  out_position: string | null;
}

const MAX_APPENDS_PER_BATCH = 256;
const MAX_BATCHES_IN_FLIGHT = 2;
const MAX_EVENTS_PER_BATCH = 5_000;
const DEADLOCK = '40P01';
const UNIQUE_VIOLATION = '23505';

/**
 * Group commit. Appends wait in a queue while batches are being written; the next batch takes all
 * of them and writes them in one transaction, so N concurrent appends share one WAL flush. An idle
 * store writes each append at once: no added latency, no timer.
 *
 * A batch is two round trips on a pipelined connection of its own: BEGIN + lock_streams (stream
 * locks + state); then, after decideBatch, insert_events (position lock + one set-based insert) +
 * COMMIT.
 */
export class GroupCommitter {
  private readonly queue: PendingAppend[] = [];
  private inFlight = 0;
  /** Its own connections, one per batch in flight, pipelined. */
  private readonly pool: Pool;

  constructor(config: PoolConfig) {
    this.pool = new Pool({ ...config, max: MAX_BATCHES_IN_FLIGHT, pipeline: true });
    // An idle client's error (server restart) must not crash the process; the next batch reconnects.
    this.pool.on('error', () => undefined);
  }

  close(): Promise<void> {
    return this.pool.end();
  }

  submit(append: PendingAppend): void {
    this.queue.push(append);
    this.startWrites();
  }

  /**
   * Up to two batches at a time: while one holds the position lock (insert and commit), the next
   * takes its stream locks and decides, so the lock is never idle between batches.
   */
  private startWrites(): void {
    while (this.inFlight < MAX_BATCHES_IN_FLIGHT && this.queue.length) {
      this.inFlight++;
      void this.write(this.take()).finally(() => {
        this.inFlight--;
        this.startWrites();
      });
    }
  }

  private take(): PendingAppend[] {
    let count = 0;
    let events = 0;
    while (
      count < this.queue.length &&
      count < MAX_APPENDS_PER_BATCH &&
      (count === 0 || events + this.queue[count]!.ids.length <= MAX_EVENTS_PER_BATCH)
    ) {
      events += this.queue[count]!.ids.length;
      count++;
    }
    return this.queue.splice(0, count);
  }

  private async write(batch: PendingAppend[]): Promise<void> {
    let outcome: { decisions: AppendDecision[]; head: bigint };
    let client: PoolClient | null = null;
    let broken: Error | undefined;
    try {
      client = await this.pool.connect();
      try {
        outcome = await writeBatch(client, batch);
      } catch (error) {
        // A failed insert has already ended its transaction (the pipelined COMMIT answered ROLLBACK).
        if (client.getTransactionStatus() !== 'I') {
          await client.query('ROLLBACK').catch((rollback: Error) => (broken = rollback));
        }
        throw error;
      }
    } catch (error) {
      const code = (error as { code?: string }).code;
      // A unique violation means another process committed one of these ids into another stream
      // while we waited for its lock: written again, the batch sees that row and reports it.
      const retry = code === UNIQUE_VIOLATION || code === DEADLOCK;
      for (const append of batch) {
        if (retry && append.retries-- > 0) this.queue.push(append);
        else append.reject(error);
      }
      return;
    } finally {
      client?.release(broken);
    }
    settle(batch, outcome.decisions, outcome.head);
  }
}

async function writeBatch(
  client: PoolClient,
  batch: PendingAppend[],
): Promise<{ decisions: AppendDecision[]; head: bigint }> {
  const [, state] = await Promise.all([
    client.query('BEGIN'),
    client.query<StateRow>('SELECT * FROM event_store.lock_streams($1::text[], $2::uuid[])', [
      batch.map((a) => a.stream),
      batch.flatMap((a) => a.ids),
    ]),
  ]);
  const stored = new Map<string, StoredEvent>();
  const revisions = new Map<string, bigint>();
  for (const row of state.rows) {
    if (row.out_kind === 'event') {
      stored.set(row.out_event_id!, {
        stream: row.out_stream,
        revision: BigInt(row.out_revision),
        position: BigInt(row.out_position!),
      });
    } else {
      revisions.set(row.out_stream, BigInt(row.out_revision));
    }
  }
  const decisions = decideBatch(batch, stored, revisions);
  const accepted = batch
    .map((append, i) => ({ append, decision: decisions[i]! }))
    .filter(
      (entry): entry is { append: PendingAppend; decision: Extract<AppendDecision, { kind: 'accepted' }> } =>
        entry.decision.kind === 'accepted',
    );
  if (accepted.length === 0) {
    await client.query('COMMIT');
    return { decisions, head: 0n };
  }

  const heads = new Map<string, { category: string; revision: bigint }>();
  for (const { append, decision } of accepted) {
    heads.set(append.stream, {
      category: append.category,
      revision: decision.firstRevision + BigInt(append.ids.length) - 1n,
    });
  }
  const rows = accepted.flatMap(({ append, decision }) =>
    append.ids.map((id, ord) => ({ id, append, revision: decision.firstRevision + BigInt(ord), ord })),
  );
  const inserted = client.query<{ head: string }>(
    `SELECT event_store.insert_events($1::uuid[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::json[], $7::jsonb[],
                                      $8::text[], $9::text[], $10::bigint[]) AS head`,
    [
      rows.map((r) => r.id),
      rows.map((r) => r.append.stream),
      rows.map((r) => r.revision.toString()),
      rows.map((r) => r.append.category),
      rows.map((r) => r.append.types[r.ord]),
      jsonArrayParam(rows.map((r) => r.append.data[r.ord]!)),
      jsonbArrayParam(rows.map((r) => r.append.metadata[r.ord]!)),
      [...heads.keys()],
      [...heads.values()].map((h) => h.category),
      [...heads.values()].map((h) => h.revision.toString()),
    ],
  );
  // COMMIT goes right behind the insert, before its answer is back: the position lock is held for
  // the insert and the commit only, never for a round trip through this process's event loop.
  const [insert, commit] = await Promise.allSettled([inserted, client.query('COMMIT')]);
  if (insert.status === 'rejected') throw insert.reason;
  if (commit.status === 'rejected') throw commit.reason;
  if (commit.value.command !== 'COMMIT') throw new Error(`the append's COMMIT answered ${commit.value.command}`);
  return { decisions, head: BigInt(insert.value.rows[0]!.head) };
}

function settle(batch: PendingAppend[], decisions: AppendDecision[], head: bigint): void {
  const writtenEvents = (index: number): AppendedEvent[] => {
    const decision = decisions[index] as Extract<AppendDecision, { kind: 'accepted' }>;
    return batch[index]!.ids.map((id, ord) => ({
      id,
      revision: decision.firstRevision + BigInt(ord),
      position: head + BigInt(decision.offset + ord + 1),
    }));
  };
  batch.forEach((append, index) => {
    const decision = decisions[index]!;
    switch (decision.kind) {
      case 'accepted': {
        const events = writtenEvents(index);
        append.resolve({
          stream: append.stream,
          duplicate: false,
          events,
          nextExpectedRevision: events.at(-1)!.revision,
        });
        return;
      }
      case 'duplicate': {
        const events = decision.events.map((ref, ord) => {
          if ('stored' in ref)
            return { id: append.ids[ord]!, revision: ref.stored.revision, position: ref.stored.position };
          return writtenEvents(ref.inBatch)[ref.ord]!;
        });
        const last = events.reduce((max, e) => (e.revision > max ? e.revision : max), -1n);
        append.resolve({ stream: append.stream, duplicate: true, events, nextExpectedRevision: last });
        return;
      }
      case 'wrong_revision':
        append.reject(new WrongExpectedRevisionError(append.stream, append.expected, decision.actual));
        return;
      case 'conflict':
        append.reject(new IdempotencyConflictError(append.stream, append.ids, decision.message));
    }
  });
}
