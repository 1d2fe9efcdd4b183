import type { DataSource } from 'typeorm';
import { returnedRows } from '@ledgerline/database';
import type { BackfillObjectName } from '../objects/backfill-objects';
import { isDeadLocalProcess, thisProcess } from './run-owner';
import {
  type BackfillRequest,
  type BackfillRun,
  type BackfillStatus,
  type BackfillTypeProgress,
  etaSecondsOf,
  runKeyOf,
  totalsOf,
} from './backfill-run';

/** A running run whose heartbeat is older than this has lost its process. */
const STALE = `interval '60 seconds'`;

const RUN_COLUMNS = `id, kind, objects, account_scope, since, since_spec, stripe_product_id, requested_by, status,
  stop_requested, owner, error, requested_at, claimed_at, fetched_at_claim::int AS fetched_at_claim, finished_at,
  (status = 'running' AND heartbeat_at < now() - ${STALE}) AS stale, now() AS now`;

interface RunRow {
  id: string;
  kind: BackfillRun['kind'];
  objects: BackfillObjectName[];
  account_scope: string;
  since: Date | null;
  since_spec: string | null;
  stripe_product_id: string | null;
  requested_by: string;
  status: Exclude<BackfillStatus, 'interrupted'>;
  stop_requested: boolean;
  owner: string | null;
  error: string | null;
  requested_at: Date;
  claimed_at: Date | null;
  fetched_at_claim: number;
  finished_at: Date | null;
  stale: boolean;
  now: Date;
}

export interface PageCommit {
  cursor: string | null;
  done: boolean;
  fetched: number;
  appended: number;
  unchanged: number;
  retries: number;
  estimatedTotal: number | null;
}

/** The `backfill_runs` and `backfill_progress` tables: what was asked, and how far each listing got. */
export class BackfillRuns {
  constructor(private readonly dataSource: DataSource) {}

  async create(request: BackfillRequest, requestedBy: string): Promise<string> {
    const rows: { id: string }[] = await this.dataSource.query(
      `INSERT INTO backfill_runs (kind, run_key, objects, account_scope, since, since_spec, stripe_product_id,
                                  requested_by, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending') RETURNING id`,
      [
        request.kind,
        runKeyOf(request),
        request.objects,
        request.accountScope,
        request.since === null ? null : new Date(request.since * 1000),
        request.sinceSpec,
        request.stripeProductId,
        requestedBy,
      ],
    );
    return rows[0]!.id;
  }

  /** The newest run of this request that has not finished: running (`active`) or waiting to be resumed. */
  async unfinished(request: BackfillRequest): Promise<{ id: string; active: boolean } | null> {
    const rows: { id: string; active: boolean; owner: string | null }[] = await this.dataSource.query(
      `SELECT id, (status = 'running' AND heartbeat_at >= now() - ${STALE}) AS active, owner FROM backfill_runs
        WHERE run_key = $1 AND status <> 'done' ORDER BY requested_at DESC LIMIT 1`,
      [runKeyOf(request)],
    );
    const row = rows[0];
    return row ? { id: row.id, active: row.active && !isDeadLocalProcess(row.owner) } : null;
  }

  /**
   * Takes the run for this process: only if it is not done and no live process holds it (its
   * heartbeat is stale, or its owner is a dead process of this host). False when one does.
   */
  async claim(id: string): Promise<boolean> {
    const held: { owner: string | null }[] = await this.dataSource.query(
      `SELECT owner FROM backfill_runs WHERE id = $1`,
      [id],
    );
    const takeOver = isDeadLocalProcess(held[0]?.owner ?? null);
    const rows = returnedRows<{ id: string }>(
      await this.dataSource.query(
        `UPDATE backfill_runs r
          SET status = 'running', owner = $2, claimed_at = now(), heartbeat_at = now(), stop_requested = false,
              error = NULL, finished_at = NULL,
              fetched_at_claim = (SELECT COALESCE(sum(fetched), 0) FROM backfill_progress WHERE run_id = r.id)
        WHERE id = $1 AND status <> 'done'
          AND (status <> 'running' OR heartbeat_at < now() - ${STALE} OR ($3 AND owner = $4))
        RETURNING id`,
        [id, thisProcess(), takeOver, held[0]?.owner ?? null],
      ),
    );
    return rows.length > 0;
  }

  /** The listings of a run, once its accounts are known; existing ones (a resumed run's) are kept. */
  async plan(id: string, listings: { account: string | null; object: BackfillObjectName }[]): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO backfill_progress (run_id, account, object_type, ordinal)
       SELECT $1, x.account, x.object_type, x.ordinal
         FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS x(account, object_type, ordinal)
       ON CONFLICT DO NOTHING`,
      [id, listings.map((l) => l.account ?? ''), listings.map((l) => l.object)],
    );
  }

  /**
   * Records a page whose objects are all stored: the listing resumes after `cursor`. Beats too, and
   * tells whether someone asked the run to stop, so a stop takes effect at the next page.
   */
  async commitPage(
    id: string,
    account: string | null,
    object: string,
    page: PageCommit,
  ): Promise<{ stopRequested: boolean }> {
    await this.dataSource.query(
      `UPDATE backfill_progress
          SET cursor = $4, done = $5, fetched = fetched + $6, appended = appended + $7, unchanged = unchanged + $8,
              retries = retries + $9, estimated_total = COALESCE($10, estimated_total), error = NULL, updated_at = now()
        WHERE run_id = $1 AND account = $2 AND object_type = $3`,
      [
        id,
        account ?? '',
        object,
        page.cursor,
        page.done,
        page.fetched,
        page.appended,
        page.unchanged,
        page.retries,
        page.estimatedTotal,
      ],
    );
    return this.beat(id);
  }

  /** A listing that stopped on a failure: it keeps its cursor, so the next run retries that page. */
  async failListing(id: string, account: string | null, object: string, error: string, failed: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE backfill_progress SET error = $4, failed = failed + $5, updated_at = now()
        WHERE run_id = $1 AND account = $2 AND object_type = $3`,
      [id, account ?? '', object, error, failed],
    );
  }

  /** Beats, and tells whether someone asked the run to stop. */
  async beat(id: string): Promise<{ stopRequested: boolean }> {
    const rows = returnedRows<{ stop_requested: boolean }>(
      await this.dataSource.query(
        `UPDATE backfill_runs SET heartbeat_at = now() WHERE id = $1 RETURNING stop_requested`,
        [id],
      ),
    );
    return { stopRequested: rows[0]?.stop_requested === true };
  }

  async finish(id: string, status: 'done' | 'failed' | 'stopped', error: string | null): Promise<void> {
    await this.dataSource.query(
      `UPDATE backfill_runs SET status = $2, error = $3, finished_at = now() WHERE id = $1 AND status = 'running'`,
      [id, status, error],
    );
  }

  /** Asks the process running it to stop after the page in hand. False if it is not running. */
  async requestStop(id: string): Promise<boolean> {
    const rows = returnedRows<{ id: string }>(
      await this.dataSource.query(
        `UPDATE backfill_runs SET stop_requested = true WHERE id = $1 AND status = 'running' RETURNING id`,
        [id],
      ),
    );
    return rows.length > 0;
  }

  async get(id: string): Promise<BackfillRun | null> {
    const rows: RunRow[] = await this.dataSource.query(`SELECT ${RUN_COLUMNS} FROM backfill_runs WHERE id = $1`, [id]);
    return (await this.views(rows))[0] ?? null;
  }

  /** Newest first; `before` pages by request time. */
  async list(limit: number, before?: Date): Promise<BackfillRun[]> {
    const rows: RunRow[] = await this.dataSource.query(
      `SELECT ${RUN_COLUMNS} FROM backfill_runs WHERE ($2::timestamptz IS NULL OR requested_at < $2)
        ORDER BY requested_at DESC, id LIMIT $1`,
      [limit, before ?? null],
    );
    return this.views(rows);
  }

  async progress(id: string): Promise<BackfillTypeProgress[]> {
    return (await this.progressOf([id])).get(id) ?? [];
  }

  /** The listings of these runs, in order, by run: one query however many runs are shown. */
  private async progressOf(ids: string[]): Promise<Map<string, BackfillTypeProgress[]>> {
    const rows: {
      run_id: string;
      account: string;
      object_type: BackfillObjectName;
      done: boolean;
      cursor: string | null;
      fetched: number;
      appended: number;
      unchanged: number;
      failed: number;
      retries: number;
      estimated_total: number | null;
      error: string | null;
    }[] = await this.dataSource.query(
      `SELECT run_id, account, object_type, done, cursor, fetched::int, appended::int, unchanged::int, failed::int,
              retries::int, estimated_total::int, error
         FROM backfill_progress WHERE run_id = ANY($1::uuid[]) ORDER BY run_id, ordinal`,
      [ids],
    );
    const byRun = new Map<string, BackfillTypeProgress[]>();
    for (const row of rows) {
      const listings = byRun.get(row.run_id) ?? [];
      listings.push({
        account: row.account === '' ? null : row.account,
        object: row.object_type,
        done: row.done,
        cursor: row.cursor,
        fetched: row.fetched,
        appended: row.appended,
        unchanged: row.unchanged,
        failed: row.failed,
        retries: row.retries,
        estimatedTotal: row.estimated_total,
        error: row.error,
      });
      byRun.set(row.run_id, listings);
    }
    return byRun;
  }

  private async views(rows: RunRow[]): Promise<BackfillRun[]> {
    const progress = await this.progressOf(rows.map((row) => row.id));
    return rows.map((row) => this.view(row, progress.get(row.id) ?? []));
  }

  private view(row: RunRow, progress: BackfillTypeProgress[]): BackfillRun {
    const totals = totalsOf(progress);
    const seconds = row.claimed_at ? (row.now.getTime() - row.claimed_at.getTime()) / 1000 : 0;
    const interrupted = row.status === 'running' && (row.stale || isDeadLocalProcess(row.owner));
    const running = row.status === 'running' && !interrupted;
    const rate = running && seconds > 0 ? (totals.fetched - row.fetched_at_claim) / seconds : null;
    return {
      id: row.id,
      kind: row.kind,
      status: interrupted ? 'interrupted' : row.status,
      objects: row.objects,
      accountScope: row.account_scope,
      since: row.since?.toISOString() ?? null,
      sinceSpec: row.since_spec,
      stripeProductId: row.stripe_product_id,
      requestedBy: row.requested_by,
      requestedAt: row.requested_at.toISOString(),
      finishedAt: row.finished_at?.toISOString() ?? null,
      error: row.error,
      stopRequested: row.stop_requested,
      progress,
      totals,
      rate: rate === null ? null : Math.round(rate * 10) / 10,
      etaSeconds: running ? etaSecondsOf(progress, rate) : null,
    };
  }
}
