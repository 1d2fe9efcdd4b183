import type { DataSource } from 'typeorm';
import { returnedRows } from '@ledgerline/database';
import type { RecordedEvent } from '@ledgerline/event-store';
import type { ProjectionTransaction } from './projector';

export interface ProjectionStateRow {
  name: string;
  version: number;
  position: string;
  status: string;
  last_error: string | null;
  last_error_at: Date | null;
  updated_at: Date;
  /** When `position` last changed; a trigger keeps it (ProjectionAdvancedAt1764000002500). */
  advanced_at: Date;
}

export interface ParkedEventRow {
  projection: string;
  position: string;
  event_id: string;
  event_type: string;
  stream: string;
  error: string;
  attempts: number;
  parked_at: Date;
}

/** The engine's bookkeeping tables (projections.projection_state, projections.parked_events). */
export class ProjectionStore {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Runs `work` in one transaction: a batch's writes and its checkpoint commit together. Table
   * names map through `tables` (the shadow copies during a rebuild).
   */
  async transaction<T>(
    work: (tx: ProjectionTransaction) => Promise<T>,
    tables: Readonly<Record<string, string>> = {},
  ): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      const result = await work({
        query: async (sql, params) => returnedRows(await runner.query(sql, params)),
        table: (name) => tables[name] ?? name,
      });
      await runner.commitTransaction();
      return result;
    } catch (error) {
      await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }

  /** The state row, created at position 0 for a projector seen for the first time. */
  async register(name: string, version: number): Promise<ProjectionStateRow> {
    await this.dataSource.query(
      `INSERT INTO projections.projection_state (name, version) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`,
      [name, version],
    );
    return (await this.state(name))!;
  }

  async remove(name: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM projections.projection_state WHERE name = $1`, [name]);
  }

  async state(name: string): Promise<ProjectionStateRow | null> {
    const rows: ProjectionStateRow[] = await this.dataSource.query(
      `SELECT * FROM projections.projection_state WHERE name = $1`,
      [name],
    );
    return rows[0] ?? null;
  }

  async states(): Promise<ProjectionStateRow[]> {
    return this.dataSource.query(`SELECT * FROM projections.projection_state ORDER BY name`);
  }

  async checkpoint(tx: ProjectionTransaction, name: string, position: bigint): Promise<void> {
    await tx.query(
      `UPDATE projections.projection_state SET position = $2, updated_at = now() WHERE name = $1 AND position < $2`,
      [name, position.toString()],
    );
  }

  async park(
    tx: ProjectionTransaction,
    name: string,
    event: RecordedEvent,
    error: string,
    attempts: number,
  ): Promise<void> {
    await tx.query(
      `INSERT INTO projections.parked_events (projection, position, event_id, event_type, stream, error, attempts)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (projection, position) DO UPDATE SET error = EXCLUDED.error, attempts = EXCLUDED.attempts, parked_at = now()`,
      [name, event.position.toString(), event.id, event.type, event.stream, error, attempts],
    );
  }

  async setStatus(name: string, status: string, lastError?: string | null): Promise<void> {
    if (lastError === undefined) {
      await this.dataSource.query(
        `UPDATE projections.projection_state SET status = $2, updated_at = now() WHERE name = $1`,
        [name, status],
      );
      return;
    }
    await this.dataSource.query(
      `UPDATE projections.projection_state
          SET status = $2, last_error = $3, last_error_at = CASE WHEN $3::text IS NULL THEN last_error_at ELSE now() END,
              updated_at = now()
        WHERE name = $1`,
      [name, status, lastError],
    );
  }

  async parked(name?: string): Promise<ParkedEventRow[]> {
    return this.dataSource.query(
      `SELECT * FROM projections.parked_events WHERE $1::text IS NULL OR projection = $1 ORDER BY projection, position`,
      [name ?? null],
    );
  }

  /** How many events each projection has parked. */
  async parkedCounts(): Promise<Map<string, number>> {
    const rows: { projection: string; parked: string }[] = await this.dataSource.query(
      `SELECT projection, count(*) AS parked FROM projections.parked_events GROUP BY projection`,
    );
    return new Map(rows.map((row) => [row.projection, Number(row.parked)]));
  }

  async unpark(tx: ProjectionTransaction, name: string, position: bigint): Promise<boolean> {
    const rows = await tx.query(
      `DELETE FROM projections.parked_events WHERE projection = $1 AND position = $2 RETURNING position`,
      [name, position.toString()],
    );
    return rows.length > 0;
  }
}
