import { once } from 'node:events';
import type { EventFilter, EventStore, RecordedEvent } from '@ledgerline/event-store';
import { parseArgs, positionOption } from './args';
import type { Command } from './command';
import { trapInterrupts } from './interrupts';

interface TailOptions {
  categories: string[];
  types: string[];
  from: bigint | null;
  json: boolean;
}

export const tailCommand: Command = {
  name: 'tail',
  readOnly: true,
  synopsis: 'tail [--category <c>]... [--type <prefix>]... [--from <position>] [--json]',
  summary: 'follow the store live, one line per event (position, recordedAt, stream, type, source/actor)',
  help: [
    '  --category <c>       only streams of this category (stripe_customer, customer, ...); repeatable',
    '  --type <prefix>      only event types starting with this; repeatable',
    '  --from <position>    start after this position (e.g. the one printed by an earlier tail) instead of at the end',
    '  --json               one JSON envelope per line (NDJSON), positions and revisions as numbers',
    'Ctrl-C or SIGTERM stops it (exit 0) and prints the position to resume from.',
  ].join('\n'),
  prepare(args) {
    const { options } = parseArgs(args, {
      category: { type: 'string', multiple: true },
      type: { type: 'string', multiple: true },
      from: { type: 'string' },
      json: { type: 'boolean' },
    });
    const tailOptions: TailOptions = {
      categories: options.category ?? [],
      types: options.type ?? [],
      from: options.from === undefined ? null : positionOption('from', options.from),
      json: options.json === true,
    };
    return ({ store, log }) => tail(store, tailOptions, log);
  },
};

async function tail(store: EventStore, options: TailOptions, log: (message: string) => void): Promise<number> {
  const interrupts = trapInterrupts(log);
  // `| head` closes stdout: stop as if interrupted rather than die on EPIPE.
  const onOutputError = (): void => interrupts.abort();
  process.stdout.on('error', onOutputError);
  // The head is read here rather than subscribing from 'end', so the position announced below is
  // exactly where following starts: nothing appended after the announcement can be missed.
  const start = options.from ?? (await store.headPosition());
  let position = start;
  let cutShort = false;
  const filter: EventFilter = {
    ...(options.categories.length ? { categories: options.categories } : {}),
    ...(options.types.length ? { eventTypePrefixes: options.types } : {}),
  };
  const subscription = store.subscribeToAll({
    from: start,
    filter,
    handler: async (events) => {
      for (const event of events) {
        if (interrupts.signal.aborted) {
          cutShort = true; // the rest of this batch was not printed: resume before it
          return;
        }
        if (!process.stdout.write(`${options.json ? toJsonLine(event) : toTextLine(event)}\n`)) {
          await Promise.race([once(process.stdout, 'drain'), interrupts.interrupted]);
        }
        position = event.position;
      }
    },
  });
  log(`following the event store after position ${start} (Ctrl-C to stop)`);
  let failure: Error | null = null;
  try {
    await Promise.race([subscription.done, interrupts.interrupted]);
  } catch (error) {
    failure = error as Error;
  } finally {
    await subscription.stop().catch(() => undefined);
    interrupts.dispose();
    process.stdout.off('error', onOutputError);
  }
  // With a filter the subscription scans past events it does not print: resume after those too.
  if (!cutShort) position = maxOf(position, subscription.position);
  if (failure) log(`tail stopped: ${failure.message}`);
  log(`resume with: ledgerline tail --from ${position}${flagsOf(options)}`);
  return failure ? 1 : 0;
}

function maxOf(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

function flagsOf(options: TailOptions): string {
  return [
    ...options.categories.map((category) => ` --category ${category}`),
    ...options.types.map((type) => ` --type ${type}`),
    options.json ? ' --json' : '',
  ].join('');
}

function toTextLine(event: RecordedEvent): string {
  const { source, actor, recordedAt } = event.metadata;
  return [event.position, recordedAt, event.stream, event.type, actor ? `${source}/${actor}` : source].join('  ');
}

/** The whole envelope; bigints as JSON numbers (exact below 2^53, which any store position is in practice). */
function toJsonLine(event: RecordedEvent): string {
  return JSON.stringify(event, (_key, value: unknown) => (typeof value === 'bigint' ? Number(value) : value));
}
