import type { DataSource } from 'typeorm';
import type { FindingKind } from '../compare/findings';
import { isoOf } from '../period';
import { type ReconcileDependencies, reconcile, type ReconciliationProgress } from './reconcile';
import { type ReconciliationInput, type ReconciliationReport, reportJson } from './report';

/** `interrupted`: still marked running, but its process stopped beating (it died or was killed). */
export type ReconciliationRunStatus = 'running' | 'done' | 'failed' | 'interrupted';

export interface ReconciliationRun {
  id: string;
  status: ReconciliationRunStatus;
  period: { from: string; to: string };
  currency: string | null;
  account: string | null;
  requestedBy: string;
  requestedAt: string;
  finishedAt: string | null;
  /** The store position the run reads up to (set once it has started reading). */
  position: string | null;
  phase: ReconciliationProgress['phase'] | null;
  eventsRead: number;
  balanceTransactionSource: string | null;
  findings: number | null;
  /** The report's `summary.byKind` (null while there is no report), so a list of runs can show it. */
  findingsByKind: Partial<Record<FindingKind, number>> | null;
  error: string | null;
}

const HEARTBEAT_MS = 5_000;
/** A running run whose heartbeat is older than this has lost its process. */
const INTERRUPTED_AFTER = '60 seconds';

const COLUMNS = `id, status, period_from, period_to, currency, account, requested_by, requested_at, finished_at,
  position::text AS position, phase, events_read::int AS events_read, source, findings, error,
  (status = 'running' AND heartbeat_at < now() - interval '${INTERRUPTED_AFTER}') AS stale, findings_by_kind`;

/** The `reconciliation_runs` table: runs are kept, listed, and their reports read back byte for byte. */
export class ReconciliationRuns {
  constructor(private readonly dataSource: DataSource) {}

  async create(input: ReconciliationInput, requestedBy: string): Promise<string> {
    const rows: { id: string }[] = await this.dataSource.query(
      `INSERT INTO reconciliation_runs (period_from, period_to, currency, account, requested_by, status)
       VALUES ($1, $2, $3, $4, $5, 'running') RETURNING id`,
      [isoOf(input.from), isoOf(input.to), input.currency ?? null, input.account ?? null, requestedBy],
    );
    return rows[0]!.id;
  }

  async beat(id: string, progress: ReconciliationProgress | null): Promise<void> {
    await this.dataSource.query(
      `UPDATE reconciliation_runs
          SET heartbeat_at = now(), position = COALESCE($2, position), phase = COALESCE($3, phase),
              events_read = COALESCE($4, events_read)
        WHERE id = $1 AND status = 'running'`,
      [id, progress?.position.toString() ?? null, progress?.phase ?? null, progress?.eventsRead ?? null],
    );
  }

  async finish(id: string, report: ReconciliationReport): Promise<void> {
    await this.dataSource.query(
      `UPDATE reconciliation_runs
          SET status = 'done', finished_at = now(), heartbeat_at = now(), position = $2, events_read = $3,
              source = $4, findings = $5, report = $6, phase = NULL, findings_by_kind = $7
        WHERE id = $1`,
      [
        id,
        report.position,
        report.eventsRead,
        report.balanceTransactions.source,
        report.summary.findings,
        reportJson(report),
        JSON.stringify(report.summary.byKind),
      ],
    );
  }

  async fail(id: string, error: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE reconciliation_runs SET status = 'failed', finished_at = now(), error = $2 WHERE id = $1`,
      [id, error],
    );
  }

  async get(id: string): Promise<ReconciliationRun | null> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM reconciliation_runs WHERE id = $1`,
      [id],
    );
    return rows[0] ? runOf(rows[0]) : null;
  }

  /** The report's JSON text exactly as written; null while the run has none. */
  async report(id: string): Promise<string | null> {
    const rows: { report: string | null }[] = await this.dataSource.query(
      `SELECT report FROM reconciliation_runs WHERE id = $1`,
      [id],
    );
    return rows[0]?.report ?? null;
  }

  /** Newest first; `before` (a run id) continues a listing. */
  async list(options: { limit: number; before?: string }): Promise<{ runs: ReconciliationRun[]; next: string | null }> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM reconciliation_runs r
        WHERE $2::uuid IS NULL
           OR (r.requested_at, r.id) < (SELECT requested_at, id FROM reconciliation_runs WHERE id = $2::uuid)
        ORDER BY requested_at DESC, id DESC LIMIT $1`,
      [options.limit + 1, options.before ?? null],
    );
    const runs = rows.slice(0, options.limit).map(runOf);
    return { runs, next: rows.length > options.limit ? runs[runs.length - 1]!.id : null };
  }
}

/**
 * Starts a run: recorded first (so it is listed while it works), then the reconciliation, beating
 * every few seconds with its progress. `done` settles with the report, after the run row says so.
 */
export async function startReconciliationRun(
  runs: ReconciliationRuns,
  input: ReconciliationInput,
  requestedBy: string,
  deps: ReconcileDependencies,
): Promise<{ id: string; done: Promise<ReconciliationReport> }> {
  const id = await runs.create(input, requestedBy);
  let latest: ReconciliationProgress | null = null;
  const beat = () => runs.beat(id, latest).catch(() => undefined);
  const done = (async () => {
    const timer = setInterval(beat, HEARTBEAT_MS);
    timer.unref();
    try {
      const report = await reconcile(input, {
        ...deps,
        onProgress: (progress) => {
          const phaseChanged = progress.phase !== latest?.phase;
          latest = progress;
          if (phaseChanged) void beat();
          deps.onProgress?.(progress);
        },
      });
      await runs.finish(id, report);
      return report;
    } catch (error) {
      await runs.fail(id, (error as Error).message).catch(() => undefined);
      throw error;
    } finally {
      clearInterval(timer);
    }
  })();
  return { id, done };
}

function runOf(row: Record<string, unknown>): ReconciliationRun {
  const status = row.status as ReconciliationRunStatus;
  return {
    id: String(row.id),
    status: row.stale ? 'interrupted' : status,
    period: { from: (row.period_from as Date).toISOString(), to: (row.period_to as Date).toISOString() },
    currency: (row.currency as string | null) ?? null,
    account: (row.account as string | null) ?? null,
    requestedBy: String(row.requested_by),
    requestedAt: (row.requested_at as Date).toISOString(),
    finishedAt: row.finished_at ? (row.finished_at as Date).toISOString() : null,
    position: (row.position as string | null) ?? null,
    phase: (row.phase as ReconciliationRun['phase']) ?? null,
    eventsRead: Number(row.events_read),
    balanceTransactionSource: (row.source as string | null) ?? null,
    findings: row.findings === null ? null : Number(row.findings),
    findingsByKind: (row.findings_by_kind as ReconciliationRun['findingsByKind']) ?? null,
    error: (row.error as string | null) ?? null,
  };
}
