import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
import type { EventFilter, EventStore, RecordedEvent } from '@ledgerline/event-store';
import { ProjectionStore } from '../projection-store';
import type { Projector } from '../projector';
import { type ReplayRun, ReplayRuns } from './replay-runs';
import { readFilter, replays, type ReplayScope } from './replay-scope';

export type ReplayRefusal = 'unsafe' | 'rebuilding' | 'busy' | 'not-found';

/** A replay that must not start (or go on); `reason` tells the caller how to answer. */
export class ReplayRefusedError extends Error {
  constructor(
    readonly reason: ReplayRefusal,
    message: string,
  ) {
    super(message);
  }
}

export interface DryRunReport {
  /** Events in the range that the read filter let through. */
  eventsRead: number;
  /** Of those, the ones at least one projector would apply, by type. */
  byType: Record<string, number>;
  byProjector: Record<string, number>;
}

export interface ReplayOptions {
  /** Aborted: stop after the batch in hand and mark the run interrupted. */
  signal?: AbortSignal;
  /** Overrides the run's stored batch size (and is stored). */
  batchSize?: number;
  onProgress?: (run: ReplayRun) => void;
}

/** Advisory lock key space for runs (the event store uses 19532): one process carries out a run. */
const RUN_LOCK = 19533;
const RETRIED = new Set(['40P01', '40001']); // deadlock, serialization failure: the live runner writes too

/**
 * Re-applies a range of the store to replay-safe projectors' LIVE tables, one transaction per
 * batch that also records the run's progress, so a crash or an interrupt never loses or repeats
 * a batch's bookkeeping. Projector checkpoints are not touched: the live runners go on as if
 * nothing happened, which is exactly right for projectors where applying an event again is a no-op
 * unless the row had gone wrong.
 */
export class Replayer {
  private readonly runs: ReplayRuns;
  private readonly projections: ProjectionStore;

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
    /** Every projector there is; runs name theirs. */
    private readonly known: readonly Projector[],
  ) {
    this.runs = new ReplayRuns(dataSource);
    this.projections = new ProjectionStore(dataSource);
  }

  /** The projectors by name, refused unless each exists and is replay-safe. */
  resolve(names: readonly string[]): Projector[] {
    return names.map((name) => {
      const projector = this.known.find((candidate) => candidate.name === name);
      if (!projector) throw new ReplayRefusedError('not-found', `unknown projection "${name}"`);
      if (!projector.replaySafe) {
        throw new ReplayRefusedError(
          'unsafe',
          `projection "${name}" is not replay-safe (applying an event twice would change its rows): use \`ledgerline rebuild ${name}\``,
        );
      }
      return projector;
    });
  }

  /** A rebuild swaps the live tables out at its end: a replay into them now would be thrown away. */
  async refuseIfRebuilding(
    names: readonly string[],
    query: (sql: string, params: unknown[]) => Promise<unknown[]> = (sql, params) => this.dataSource.query(sql, params),
  ): Promise<void> {
    const rows = (await query(
      `SELECT projection FROM projections.rebuild_requests
        WHERE projection = ANY($1) AND status IN ('requested', 'running', 'cancelling')`,
      [names],
    )) as { projection: string }[];
    if (rows.length) {
      const which = rows.map((row) => row.projection).join(', ');
      throw new ReplayRefusedError(
        'rebuilding',
        `a rebuild of ${which} is requested or running; it replaces the live tables, so wait for it to finish (\`ledgerline rebuild ${rows[0]!.projection}\` follows it), then replay if still needed`,
      );
    }
  }

  /** What a replay of the scope would apply, writing nothing. */
  async dryRun(
    scope: ReplayScope,
    options: { batchSize: number; signal?: AbortSignal; onProgress?: (position: bigint) => void },
  ): Promise<DryRunReport> {
    this.resolve(scope.projectors.map((projector) => projector.name));
    const report: DryRunReport = { eventsRead: 0, byType: {}, byProjector: {} };
    const filter = readFilter(scope.projectors, scope.types);
    for (let position = scope.fromPosition; position < scope.toPosition && !options.signal?.aborted;) {
      const { events, reached } = await this.readBatch(position, scope.toPosition, options.batchSize, filter);
      for (const event of events) {
        const wanting = scope.projectors.filter((projector) => replays(projector, event, scope.types));
        for (const projector of wanting)
          report.byProjector[projector.name] = (report.byProjector[projector.name] ?? 0) + 1;
        if (wanting.length) report.byType[event.type] = (report.byType[event.type] ?? 0) + 1;
      }
      report.eventsRead += events.length;
      position = reached;
      options.onProgress?.(position);
    }
    return report;
  }

  /** Files a run after the checks; `run` then carries it out. */
  async create(scope: ReplayScope, requested: { from: string; to: string }, batchSize: number): Promise<ReplayRun> {
    const names = scope.projectors.map((projector) => projector.name);
    this.resolve(names);
    await this.refuseIfRebuilding(names);
    return this.runs.create({
      projections: names,
      types: scope.types,
      requestedFrom: requested.from,
      requestedTo: requested.to,
      fromPosition: scope.fromPosition,
      toPosition: scope.toPosition,
      batchSize,
    });
  }

  get(id: number): Promise<ReplayRun | null> {
    return this.runs.get(id);
  }

  list(): Promise<ReplayRun[]> {
    return this.runs.list();
  }

  /**
   * Carries out (or resumes) a run from its stored position. The run's advisory lock, held on a
   * connection of its own, keeps a second process off it; a crashed process's lock goes with its
   * connection, which is what lets `--resume` take over a run left `running`.
   */
  async run(id: number, options: ReplayOptions = {}): Promise<ReplayRun> {
    const lock = this.dataSource.createQueryRunner();
    await lock.connect();
    let locked = false;
    try {
      [{ locked }] = await lock.query(`SELECT pg_try_advisory_lock($1, $2) AS locked`, [RUN_LOCK, id]);
      if (!locked) throw new ReplayRefusedError('busy', `replay run ${id} is being carried out by another process`);
      return await this.carryOut(id, options);
    } finally {
      // A session lock outlives release(): the connection goes back to the pool still holding it.
      if (locked) await lock.query(`SELECT pg_advisory_unlock($1, $2)`, [RUN_LOCK, id]).catch(() => undefined);
      await lock.release();
    }
  }

  private async carryOut(id: number, options: ReplayOptions): Promise<ReplayRun> {
    let run = await this.runs.get(id);
    if (!run) throw new ReplayRefusedError('not-found', `no replay run ${id}`);
    if (run.status === 'done') return run;
    const projectors = this.resolve(run.projections);
    await this.refuseIfRebuilding(run.projections);
    run = { ...run, status: 'running', error: null, batchSize: options.batchSize ?? run.batchSize };
    await this.runs.setStatus(id, 'running', null, run.batchSize);
    const filter = readFilter(projectors, run.types);
    try {
      while (run.position < run.toPosition && !options.signal?.aborted) {
        const { events, reached } = await this.readBatch(run.position, run.toPosition, run.batchSize, filter);
        run = await this.applyBatch(run, projectors, events, reached);
        options.onProgress?.(run);
      }
    } catch (error) {
      // A rebuild that started meanwhile pauses the run; anything else fails it. Both resume.
      const paused = error instanceof ReplayRefusedError;
      await this.runs.setStatus(id, paused ? 'interrupted' : 'failed', (error as Error).message);
      throw error;
    }
    const status = run.position >= run.toPosition ? 'done' : 'interrupted';
    await this.runs.setStatus(id, status);
    return (await this.runs.get(id)) ?? { ...run, status };
  }

  /** One batch and the run's progress in one transaction, retried if it collides with the live runner. */
  private async applyBatch(
    run: ReplayRun,
    projectors: readonly Projector[],
    events: RecordedEvent[],
    reached: bigint,
  ): Promise<ReplayRun> {
    for (let attempt = 1; ; attempt++) {
      const next: ReplayRun = {
        ...run,
        position: reached,
        eventsRead: run.eventsRead + events.length,
        applied: { ...run.applied },
      };
      try {
        await this.projections.transaction(async (tx) => {
          await this.refuseIfRebuilding(run.projections, (sql, params) => tx.query(sql, params));
          for (const projector of projectors) {
            const wanted = events.filter((event) => replays(projector, event, run.types));
            if (!wanted.length) continue;
            if (projector.applyBatch) await projector.applyBatch(wanted, tx);
            else for (const event of wanted) await projector.apply(event, tx);
            next.applied[projector.name] = (next.applied[projector.name] ?? 0) + wanted.length;
          }
          await this.runs.advance(tx, next);
        });
        return next;
      } catch (error) {
        if (attempt < 5 && RETRIED.has((error as { code?: string }).code ?? '')) {
          await sleep(50 * 2 ** attempt);
          continue;
        }
        if (error instanceof ReplayRefusedError) throw error;
        const first = events[0]?.position ?? run.position + 1n;
        throw new Error(`batch of positions ${first}..${reached} failed: ${(error as Error).message}`, {
          cause: error,
        });
      }
    }
  }

  /** Events in (from, to], and how far this read got: `to` once nothing more is stored up to it. */
  private async readBatch(
    from: bigint,
    to: bigint,
    size: number,
    filter: EventFilter | undefined,
  ): Promise<{ events: RecordedEvent[]; reached: bigint }> {
    const { events, nextFrom } = await this.store.readAll({ from, maxCount: size, filter });
    const reached = nextFrom > from && nextFrom < to ? nextFrom : to;
    return { events: events.filter((event) => event.position <= to), reached };
  }
}
