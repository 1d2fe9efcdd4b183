import type { DataSource } from 'typeorm';
import { returnedRows } from '@ledgerline/database';
import type { ProjectionTransaction } from '../projector';

export type ReplayStatus = 'running' | 'interrupted' | 'done' | 'failed';

/** A replay of projectors over the store's events after `fromPosition`, up to and including `toPosition`. */
export interface ReplayRun {
  id: number;
  projections: string[];
  /** Event type prefixes the operator narrowed the replay to; null: every type the projectors read. */
  types: string[] | null;
  /** The bounds as given (ISO time or position), for messages. */
  requestedFrom: string;
  requestedTo: string;
  /** Exclusive. */
  fromPosition: bigint;
  /** Inclusive. */
  toPosition: bigint;
  /** Every event up to here has been handled. */
  position: bigint;
  batchSize: number;
  status: ReplayStatus;
  eventsRead: number;
  /** Events applied, per projector. */
  applied: Record<string, number>;
  error: string | null;
  startedAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

export type NewReplayRun = Pick<
  ReplayRun,
  'projections' | 'types' | 'requestedFrom' | 'requestedTo' | 'fromPosition' | 'toPosition' | 'batchSize'
>;

interface Row {
  id: string;
  projections: string[];
  types: string[] | null;
  requested_from: string;
  requested_to: string;
  from_position: string;
  to_position: string;
  position: string;
  batch_size: number;
  status: ReplayStatus;
  events_read: string;
  applied: Record<string, number>;
  error: string | null;
  started_at: Date;
  updated_at: Date;
  finished_at: Date | null;
}

/** The projections.replay_runs table. */
export class ReplayRuns {
  constructor(private readonly dataSource: DataSource) {}

  async create(run: NewReplayRun): Promise<ReplayRun> {
    const [row] = returnedRows<Row>(
      await this.dataSource.query(
        `INSERT INTO projections.replay_runs
           (projections, types, requested_from, requested_to, from_position, to_position, position, batch_size, status)
         VALUES ($1, $2, $3, $4, $5, $6, $5, $7, 'running') RETURNING *`,
        [
          run.projections,
          run.types,
          run.requestedFrom,
          run.requestedTo,
          run.fromPosition.toString(),
          run.toPosition.toString(),
          run.batchSize,
        ],
      ),
    );
    return toRun(row!);
  }

  async get(id: number): Promise<ReplayRun | null> {
    const rows: Row[] = await this.dataSource.query(`SELECT * FROM projections.replay_runs WHERE id = $1`, [id]);
    return rows[0] ? toRun(rows[0]) : null;
  }

  async list(limit = 20): Promise<ReplayRun[]> {
    const rows: Row[] = await this.dataSource.query(`SELECT * FROM projections.replay_runs ORDER BY id DESC LIMIT $1`, [
      limit,
    ]);
    return rows.map(toRun);
  }

  /** Records a batch as done, inside the batch's own transaction. */
  async advance(tx: ProjectionTransaction, run: ReplayRun): Promise<void> {
    await tx.query(
      `UPDATE projections.replay_runs SET position = $2, events_read = $3, applied = $4, updated_at = now() WHERE id = $1`,
      [run.id, run.position.toString(), run.eventsRead, JSON.stringify(run.applied)],
    );
  }

  async setStatus(id: number, status: ReplayStatus, error: string | null = null, batchSize?: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE projections.replay_runs
          SET status = $2, error = $3, batch_size = COALESCE($4, batch_size), updated_at = now(),
              finished_at = CASE WHEN $2 IN ('done', 'failed', 'interrupted') THEN now() END
        WHERE id = $1`,
      [id, status, error, batchSize ?? null],
    );
  }
}

function toRun(row: Row): ReplayRun {
  return {
    id: Number(row.id),
    projections: row.projections,
    types: row.types,
    requestedFrom: row.requested_from,
    requestedTo: row.requested_to,
    fromPosition: BigInt(row.from_position),
    toPosition: BigInt(row.to_position),
    position: BigInt(row.position),
    batchSize: row.batch_size,
    status: row.status,
    eventsRead: Number(row.events_read),
    applied: row.applied,
    error: row.error,
    startedAt: row.started_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
  };
}
