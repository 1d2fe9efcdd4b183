import { ReplayRefusedError, type ReplayRun, type Replayer, type ReplayScope } from '@ledgerline/projections';
import { EXIT } from './command';
import { trapInterrupts } from './interrupts';
import { Progress } from './progress';

type Log = (message: string) => void;

const EXIT_FOR_REFUSAL = {
  unsafe: EXIT.usage,
  rebuilding: EXIT.tempFail,
  busy: EXIT.tempFail,
  'not-found': EXIT.failed,
};

/** A refusal's message and exit code; anything else is rethrown. */
export function refused(error: unknown, log: Log, prefix = 'replay'): number {
  if (!(error instanceof ReplayRefusedError)) throw error;
  log(`${prefix}: ${error.message}`);
  return EXIT_FOR_REFUSAL[error.reason];
}

/**
 * Runs (or resumes) a replay run with a progress bar, stopping after the current batch on Ctrl-C
 * or SIGTERM. The run's row says how far it got, whatever happens here.
 */
export async function carryOut(
  replayer: Replayer,
  id: number,
  batchSize: number | undefined,
  log: Log,
): Promise<number> {
  const existing = await replayer.get(id);
  if (!existing) {
    log(`no replay run ${id} (ledgerline replay --list shows the latest)`);
    return EXIT.failed;
  }
  if (existing.status === 'done') {
    process.stdout.write(`${summary(existing)}\n`);
    return EXIT.ok;
  }
  if (existing.position > existing.fromPosition) {
    log(`resuming replay run ${id} (${existing.status}) after position ${existing.position} of ${existing.toPosition}`);
  }
  const interrupts = trapInterrupts(log);
  const progress = new Progress(`replay #${id}`);
  const resume = `resume with: ledgerline replay --resume ${id}`;
  try {
    const run = await replayer.run(id, {
      signal: interrupts.signal,
      batchSize,
      onProgress: (current) =>
        progress.update(
          Number(current.position - current.fromPosition),
          Number(current.toPosition - current.fromPosition),
          `${applied(current).toLocaleString('en')} applied`,
        ),
    });
    if (run.status === 'done') {
      progress.finish('done');
      process.stdout.write(`${summary(run)}\n`);
      return EXIT.ok;
    }
    log(`replay run ${id} interrupted after position ${run.position} (of ${run.toPosition})`);
    log(resume);
    return EXIT.interrupted;
  } catch (error) {
    if (error instanceof ReplayRefusedError) {
      const code = refused(error, log, `replay run ${id}`);
      if (error.reason === 'rebuilding') log(`afterwards, ${resume}`);
      return code;
    }
    log(`replay run ${id} failed: ${(error as Error).message}`);
    log(`fix the cause, then ${resume}`);
    return EXIT.failed;
  } finally {
    interrupts.dispose();
  }
}

export async function printDryRun(
  replayer: Replayer,
  scope: ReplayScope,
  batchSize: number,
  log: Log,
): Promise<number> {
  const interrupts = trapInterrupts(log);
  const progress = new Progress('replay --dry-run');
  try {
    const report = await replayer.dryRun(scope, {
      batchSize,
      signal: interrupts.signal,
      onProgress: (position) =>
        progress.update(Number(position - scope.fromPosition), Number(scope.toPosition - scope.fromPosition)),
    });
    if (interrupts.signal.aborted) return EXIT.interrupted;
    const byProjector = Object.fromEntries(scope.projectors.map((p) => [p.name, report.byProjector[p.name] ?? 0]));
    process.stdout.write(
      [
        `dry run, nothing written: positions ${scope.fromPosition + 1n}..${scope.toPosition}${scope.types ? `, types ${scope.types.join(',')}` : ''}`,
        `events read: ${report.eventsRead}`,
        'events per type (applied by at least one projection):',
        ...table(report.byType),
        'events per projection:',
        ...table(byProjector),
        '',
      ].join('\n'),
    );
    return EXIT.ok;
  } finally {
    interrupts.dispose();
  }
}

export async function printRuns(replayer: Replayer): Promise<number> {
  const runs = await replayer.list();
  const lines = runs.map(
    (run) =>
      `${String(run.id).padStart(4)}  ${run.status.padEnd(11)}  ${run.startedAt}  ${run.requestedFrom} .. ${run.requestedTo}` +
      `  positions ${run.fromPosition + 1n}..${run.toPosition} at ${run.position}  ${run.projections.join(',')}` +
      `${run.error ? `  error: ${run.error}` : ''}`,
  );
  process.stdout.write(lines.length ? `${lines.join('\n')}\n` : 'no replay runs yet\n');
  return EXIT.ok;
}

function applied(run: ReplayRun): number {
  return Object.values(run.applied).reduce((sum, count) => sum + count, 0);
}

function summary(run: ReplayRun): string {
  const perProjection = run.projections.map((name) => `${name} ${run.applied[name] ?? 0}`).join(', ');
  return `replay run ${run.id} done: positions ${run.fromPosition + 1n}..${run.toPosition}, ${run.eventsRead} events read; applied: ${perProjection}`;
}

function table(counts: Record<string, number>): string[] {
  const width = Math.max(0, ...Object.keys(counts).map((key) => key.length)) + 2;
  return Object.entries(counts)
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
    .map(([key, count]) => `  ${key.padEnd(width)}${count}`);
}
