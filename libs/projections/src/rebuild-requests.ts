import type { DataSource } from 'typeorm';
import { returnedRows } from '@ledgerline/database';

export type RebuildStatus = 'requested' | 'running' | 'cancelling' | 'cancelled' | 'done' | 'failed';

export interface RebuildRequest {
  id: number;
  projection: string;
  status: RebuildStatus;
  reason: string;
  requestedAt: string;
  finishedAt: string | null;
  error: string | null;
}

export class RebuildAlreadyActiveError extends Error {
  constructor(readonly projection: string) {
    super(`A rebuild of "${projection}" is already requested or running`);
  }
}

interface Row {
  id: string;
  projection: string;
  status: RebuildStatus;
  reason: string;
  requested_at: Date;
  finished_at: Date | null;
  error: string | null;
}

/** A DataSource, or a transaction to write in with other changes. */
interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

const ACTIVE = `status IN ('requested', 'running', 'cancelling')`;

/** Rebuild requests: the api and the CLI file them, the worker claims and carries them out. */
export class RebuildRequests {
  constructor(private readonly dataSource: DataSource) {}

  async request(projection: string, reason: string): Promise<RebuildRequest> {
    try {
      const [row]: Row[] = await this.dataSource.query(
        `INSERT INTO projections.rebuild_requests (projection, status, reason) VALUES ($1, 'requested', $2) RETURNING *`,
        [projection, reason],
      );
      return toRequest(row!);
    } catch (error) {
      if ((error as { code?: string }).code === '23505') throw new RebuildAlreadyActiveError(projection);
      throw error;
    }
  }

  /** Asks the worker to stop an active rebuild; null when none is active. */
  async cancel(projection: string): Promise<RebuildRequest | null> {
    const rows = returnedRows<Row>(
      await this.dataSource.query(
        `UPDATE projections.rebuild_requests
          SET status = CASE WHEN status = 'requested' THEN 'cancelled' ELSE 'cancelling' END,
              finished_at = CASE WHEN status = 'requested' THEN now() END
        WHERE projection = $1 AND ${ACTIVE} RETURNING *`,
        [projection],
      ),
    );
    return rows[0] ? toRequest(rows[0]) : null;
  }

  /** Takes the oldest waiting request for one of `projections` (the ones this worker owns); others skip it. */
  async claim(projections: readonly string[]): Promise<RebuildRequest | null> {
    const rows = returnedRows<Row>(
      await this.dataSource.query(
        `UPDATE projections.rebuild_requests SET status = 'running'
        WHERE id = (SELECT id FROM projections.rebuild_requests WHERE status = 'requested' AND projection = ANY($1)
                     ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING *`,
        [projections],
      ),
    );
    return rows[0] ? toRequest(rows[0]) : null;
  }

  /**
   * Takes back a request whose worker stopped carrying it out (it died, or gave the projection
   * up): a running one waits again for the projection's owner, a cancelling one is cancelled.
   * Returns what was done, so the caller knows whether a shadow copy was left behind.
   */
  async resume(projection: string, tx: Queryable = this.dataSource): Promise<RebuildStatus | null> {
    const rows = returnedRows<Row>(
      await tx.query(
        `UPDATE projections.rebuild_requests
            SET status = CASE WHEN status = 'cancelling' THEN 'cancelled' ELSE 'requested' END,
                finished_at = CASE WHEN status = 'cancelling' THEN now() END
          WHERE projection = $1 AND status IN ('running', 'cancelling') RETURNING *`,
        [projection],
      ),
    );
    return rows[0]?.status ?? null;
  }

  async get(id: number): Promise<RebuildRequest | null> {
    const rows: Row[] = await this.dataSource.query(`SELECT * FROM projections.rebuild_requests WHERE id = $1`, [id]);
    return rows[0] ? toRequest(rows[0]) : null;
  }

  async list(): Promise<RebuildRequest[]> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT * FROM projections.rebuild_requests ORDER BY id DESC LIMIT 100`,
    );
    return rows.map(toRequest);
  }

  async finish(
    id: number,
    status: 'done' | 'cancelled' | 'failed',
    error: string | null = null,
    tx: Queryable = this.dataSource,
  ): Promise<void> {
    await tx.query(
      `UPDATE projections.rebuild_requests SET status = $2, error = $3, finished_at = now() WHERE id = $1`,
      [id, status, error],
    );
  }
}

function toRequest(row: Row): RebuildRequest {
  return {
    id: Number(row.id),
    projection: row.projection,
    status: row.status,
    reason: row.reason,
    requestedAt: row.requested_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
    error: row.error,
  };
}
