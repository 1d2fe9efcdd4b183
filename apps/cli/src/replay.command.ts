import { positionAt, type Projector, Replayer, type ReplayScope } from '@ledgerline/projections';
import { allProjectors } from '@ledgerline/read-models';
import { integerOption, listOption, onlyWith, parseArgs, positionOption, UsageError } from './args';
import { type CliContext, type Command, EXIT } from './command';
import { withReadModelDatabase } from './read-model-database';
import { carryOut, printDryRun, printRuns, refused } from './replay-output';

/** A range bound as typed: a store position (inclusive) or an ISO 8601 time (`--from` inclusive, `--to` exclusive). */
type Bound = { raw: string; position: bigint } | { raw: string; time: Date };

const SPECS = {
  from: { type: 'string' },
  to: { type: 'string' },
  projection: { type: 'string', multiple: true },
  types: { type: 'string', multiple: true },
  'dry-run': { type: 'boolean' },
  'batch-size': { type: 'string' },
  resume: { type: 'string' },
  list: { type: 'boolean' },
} as const;

export const replayCommand: Command = {
  name: 'replay',
  synopsis: 'replay --from <time|position> --to <time|position> [options] | --resume <id> | --list',
  summary: "re-apply a range of the store to replay-safe projections' live tables (checkpoints untouched)",
  help: [
    '  --from, --to <time|position>  the range: ISO 8601 times (2025-03-01, 2025-03-01T12:00:00Z; from inclusive,',
    '                                to exclusive, by recordedAt) or store positions (both inclusive)',
    '  --projection <name>           replay only this projection; repeatable (default: every replay-safe one)',
    '  --types <prefix,...>          only event types starting with these (e.g. customer.,invoice.paid)',
    '  --dry-run                     report events per type and per projection, write nothing',
    '  --batch-size <n>              events per transaction (default 500)',
    '  --resume <id>                 carry on with an interrupted, failed or crashed run from where it stopped',
    '  --list                        the latest runs and their status',
    'Ctrl-C or SIGTERM stops after the current batch (exit 130) and prints how to resume.',
  ].join('\n'),
  prepare(args) {
    const { options } = parseArgs(args, SPECS);
    const batchSize =
      options['batch-size'] === undefined ? undefined : integerOption('batch-size', options['batch-size'], 1, 10_000);
    if (options.list) {
      onlyWith('list', options, []);
      return (context) => withReplayer(context, printRuns);
    }
    if (options.resume !== undefined) {
      onlyWith('resume', options, ['batch-size']);
      const id = integerOption('resume', options.resume, 1, 2 ** 31 - 1);
      return (context) => withReplayer(context, (replayer) => carryOut(replayer, id, batchSize, context.log));
    }
    if (options.from === undefined || options.to === undefined) throw new UsageError('--from and --to are required');
    const from = parseBound('from', options.from);
    const to = parseBound('to', options.to);
    if (isBackwards(from, to)) throw new UsageError(`--to (${to.raw}) must come after --from (${from.raw})`);
    const projectors = chooseProjectors(listOption(options.projection));
    const typesList = listOption(options.types);
    const types = typesList.length ? typesList : null;
    const dryRun = options['dry-run'] === true;
    return (context) =>
      withReplayer(context, async (replayer) => {
        const scope = await resolveScope(context, projectors, types, from, to);
        if (!scope) return EXIT.ok;
        if (dryRun) return printDryRun(replayer, scope, batchSize ?? 500, context.log);
        let run;
        try {
          run = await replayer.create(scope, { from: from.raw, to: to.raw }, batchSize ?? 500);
        } catch (error) {
          return refused(error, context.log);
        }
        context.log(`replay run ${run.id} created (resume it with: ledgerline replay --resume ${run.id})`);
        return carryOut(replayer, run.id, undefined, context.log);
      });
  },
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;
// A time without a zone would be read in the machine's zone: too easy to replay the wrong hours.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;

function parseBound(name: 'from' | 'to', value: string): Bound {
  if (/^\d+$/.test(value)) return { raw: value, position: positionOption(name, value) };
  const time = new Date(value);
  if ((DATE.test(value) || DATE_TIME.test(value)) && !Number.isNaN(time.getTime())) return { raw: value, time };
  throw new UsageError(
    `option --${name} needs a store position or an ISO 8601 time with a zone (2025-03-01, 2025-03-01T12:00:00Z), got "${value}"`,
  );
}

/** Only bounds of one kind compare here; a mixed range is checked once positions are known. */
function isBackwards(from: Bound, to: Bound): boolean {
  if ('time' in from && 'time' in to) return to.time.getTime() <= from.time.getTime(); // [from, to)
  if ('position' in from && 'position' in to) return to.position < from.position; // [from, to]
  return false;
}

/** Named projections (each must exist and be replay-safe), or every replay-safe one. */
function chooseProjectors(names: string[]): Projector[] {
  const all = allProjectors();
  if (!names.length) return all.filter((projector) => projector.replaySafe);
  return [...new Set(names)].map((name) => {
    const projector = all.find((candidate) => candidate.name === name);
    const safe = all.filter((candidate) => candidate.replaySafe).map((candidate) => candidate.name);
    if (!projector) throw new UsageError(`unknown projection "${name}" (replay-safe ones: ${safe.join(', ')})`);
    if (!projector.replaySafe) {
      throw new UsageError(
        `projection "${name}" is not replay-safe: applying an event to it twice changes its rows. Rebuild it instead: ledgerline rebuild ${name}`,
      );
    }
    return projector;
  });
}

/** Positions for the bounds: times by binary search over the store, positions clamped to the head. */
async function resolveScope(
  { store, log }: CliContext,
  projectors: Projector[],
  types: string[] | null,
  from: Bound,
  to: Bound,
): Promise<ReplayScope | null> {
  const head = await store.headPosition();
  const clamp = (position: bigint) => (position < head ? position : head);
  const fromPosition =
    'time' in from ? await positionAt(store, from.time, head) : clamp(from.position > 0n ? from.position - 1n : 0n);
  const toPosition = 'time' in to ? await positionAt(store, to.time, head) : clamp(to.position);
  if (toPosition <= fromPosition) {
    log(`nothing to replay: no events from ${from.raw} to ${to.raw} (head position ${head})`);
    return null;
  }
  log(`range: positions ${fromPosition + 1n}..${toPosition}; projections: ${projectors.map((p) => p.name).join(', ')}`);
  return { projectors, types, fromPosition, toPosition };
}

async function withReplayer(context: CliContext, work: (replayer: Replayer) => Promise<number>): Promise<number> {
  return withReadModelDatabase(context, (dataSource) => work(new Replayer(dataSource, context.store, allProjectors())));
}
