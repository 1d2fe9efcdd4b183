import { returnedRows } from '@ledgerline/database';

/** Anything that runs SQL: a DataSource, a query runner, a projection's transaction. */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface WorkerIdentity {
  id: string;
  host: string;
  pid: number;
  /** The worker's health and metrics port, when it serves one. */
  port: number | null;
}

export interface LeaseRow {
  unit: string;
  owner: string | null;
  token: string;
  expiresAt: Date;
}

export interface MemberRow {
  workerId: string;
  host: string;
  pid: number;
  port: number | null;
  startedAt: Date;
  heartbeatAt: Date;
}

/** A write was refused because the unit's lease is now someone else's (or nobody's). */
export class LeaseLostError extends Error {
  constructor(readonly unit: string) {
    super(`the lease of "${unit}" is no longer held by this worker: the write was rolled back`);
  }
}

/**
 * The workers.members and workers.leases tables (migration WorkerLeases1764000002600). Every
 * time is the database's, so workers on hosts with different clocks agree on who is live and
 * which lease has run out.
 */
export class LeaseTable {
  constructor(
    private readonly database: Queryable,
    private readonly ttlMs: number,
  ) {}

  /** TypeORM answers `[rows, count]` to an UPDATE ... RETURNING: always the rows here. */
  private readonly db: Queryable = {
    query: async <T>(sql: string, params?: unknown[]) => returnedRows<T>(await this.database.query(sql, params)),
  };

  /**
   * Marks the worker live and extends every lease it still holds, in one statement; returns those
   * leases (unit → token). A unit missing from the answer was taken over: its lease is lost.
   */
  async heartbeat(worker: WorkerIdentity): Promise<Map<string, string>> {
    const rows = await this.db.query<{ unit: string; token: string }>(
      `WITH member AS (
         INSERT INTO workers.members (worker_id, host, pid, port) VALUES ($1, $2, $3, $4)
         ON CONFLICT (worker_id) DO UPDATE SET heartbeat_at = now(), port = EXCLUDED.port
       )
       UPDATE workers.leases SET expires_at = now() + $5 * interval '1 millisecond'
        WHERE owner = $1 RETURNING unit, token`,
      [worker.id, worker.host, worker.pid, worker.port, this.ttlMs],
    );
    return new Map(rows.map((row) => [row.unit, String(row.token)]));
  }

  /** Workers whose heartbeat is younger than the lease time, oldest first. */
  async liveMembers(): Promise<MemberRow[]> {
    const rows = await this.db.query<{
      worker_id: string;
      host: string;
      pid: number;
      port: number | null;
      started_at: Date;
      heartbeat_at: Date;
    }>(
      `SELECT * FROM workers.members WHERE heartbeat_at > now() - $1 * interval '1 millisecond'
        ORDER BY started_at, worker_id`,
      [this.ttlMs],
    );
    return rows.map((row) => ({
      workerId: row.worker_id,
      host: row.host,
      pid: row.pid,
      port: row.port,
      startedAt: row.started_at,
      heartbeatAt: row.heartbeat_at,
    }));
  }

  async leases(): Promise<LeaseRow[]> {
    const rows = await this.db.query<{ unit: string; owner: string | null; token: string; expires_at: Date }>(
      `SELECT unit, owner, token, expires_at FROM workers.leases WHERE owner IS NOT NULL AND expires_at > now()
        ORDER BY unit`,
    );
    return rows.map((row) => ({
      unit: row.unit,
      owner: row.owner,
      token: String(row.token),
      expiresAt: row.expires_at,
    }));
  }

  /**
   * Takes the unit if nobody holds it or its holder's lease ran out; returns the new token, or
   * null when another worker holds it. A holder in the middle of a fenced write keeps the row
   * locked, so a takeover waits for that write to commit and then sees everything it wrote.
   */
  async acquire(unit: string, workerId: string): Promise<string | null> {
    const rows = await this.db.query<{ token: string }>(
      `INSERT INTO workers.leases (unit, owner, token, expires_at)
       VALUES ($1, $2, 1, now() + $3 * interval '1 millisecond')
       ON CONFLICT (unit) DO UPDATE
          SET owner = EXCLUDED.owner, token = workers.leases.token + 1, acquired_at = now(),
              expires_at = EXCLUDED.expires_at
        WHERE workers.leases.owner IS NULL OR workers.leases.expires_at <= now()
       RETURNING token`,
      [unit, workerId, this.ttlMs],
    );
    return rows[0] ? String(rows[0].token) : null;
  }

  /** Gives the unit up (after its work has stopped), so the next owner need not wait for expiry. */
  async release(unit: string, workerId: string, token: string): Promise<void> {
    await this.db.query(
      `UPDATE workers.leases SET owner = NULL, expires_at = now() WHERE unit = $1 AND owner = $2 AND token = $3`,
      [unit, workerId, token],
    );
  }

  /** Leaves: releases whatever is still held and removes the member row. */
  async leave(workerId: string): Promise<void> {
    await this.db.query(`UPDATE workers.leases SET owner = NULL, expires_at = now() WHERE owner = $1`, [workerId]);
    await this.db.query(`DELETE FROM workers.members WHERE worker_id = $1`, [workerId]);
  }

  /** Forgets members that have not been heard of for an hour (killed workers), keeping the table short. */
  async forgetDeadMembers(): Promise<void> {
    await this.db.query(`DELETE FROM workers.members WHERE heartbeat_at < now() - interval '1 hour'`);
  }

  /**
   * Called last in a transaction that writes for `unit`: fails it unless this worker still holds
   * the lease with `token`, and keeps the lease row share-locked until the commit, so no takeover
   * can slip in between the check and the commit.
   */
  static async fence(tx: Queryable, unit: string, workerId: string, token: string): Promise<void> {
    const rows = returnedRows(
      await tx.query(`SELECT 1 FROM workers.leases WHERE unit = $1 AND owner = $2 AND token = $3 FOR SHARE`, [
        unit,
        workerId,
        token,
      ]),
    );
    if (rows.length === 0) throw new LeaseLostError(unit);
  }
}

export interface WorkersOverview {
  leaseMs: number;
  /** Live workers, oldest first, each with the units it holds. */
  workers: (MemberRow & { units: string[] })[];
  /** Units held by nobody live right now (their worker died, or none runs): they wait for one. */
  unowned: string[];
}

/** Who runs what, for GET /admin/workers and the console's Operations page. */
export async function describeWorkers(
  db: Queryable,
  leaseMs: number,
  units: readonly string[],
): Promise<WorkersOverview> {
  const table = new LeaseTable(db, leaseMs);
  const [members, leases] = await Promise.all([table.liveMembers(), table.leases()]);
  const owner = new Map(leases.map((lease) => [lease.unit, lease.owner]));
  const live = new Set(members.map((member) => member.workerId));
  return {
    leaseMs,
    workers: members.map((member) => ({
      ...member,
      units: leases.filter((lease) => lease.owner === member.workerId).map((lease) => lease.unit),
    })),
    unowned: units.filter((unit) => !live.has(owner.get(unit) ?? '')),
  };
}
