import { Client } from 'pg';
import type { EventStore, EventStoreTarget } from '@ledgerline/event-store';
import { parseArgs } from './args';
import { type Command, EXIT } from './command';
import { trapInterrupts } from './interrupts';
import { Progress } from './progress';

interface Stats {
  adapter: string;
  totalEvents: number;
  headPosition: number;
  /** Bytes on disk of the store's schema (tables, indexes, TOAST); null when the adapter cannot tell. */
  storeSizeBytes: number | null;
  byType: Record<string, number>;
  /** UTC day of recordedAt. */
  byDay: Record<string, number>;
}

const PAGE = 1_000;

export const statsCommand: Command = {
  name: 'stats',
  readOnly: true,
  synopsis: 'stats [--json]',
  summary: 'events by type and by day (UTC), total, head position and the store size on disk (full scan)',
  help: '  --json   the numbers as one JSON document\nCtrl-C stops the scan (exit 130); nothing is stored, so run it again.',
  prepare(args) {
    const { options } = parseArgs(args, { json: { type: 'boolean' } });
    return ({ store, databases, log }) => stats(store, databases.eventStore, options.json === true, log);
  },
};

async function stats(
  store: EventStore,
  target: EventStoreTarget,
  json: boolean,
  log: (message: string) => void,
): Promise<number> {
  const interrupts = trapInterrupts(log);
  try {
    // Counted up to the head as of now: events appended during the scan belong to the next run.
    const head = await store.headPosition();
    const result: Stats = {
      adapter: store.adapter,
      totalEvents: 0,
      headPosition: Number(head),
      storeSizeBytes: await storeSize(target),
      byType: {},
      byDay: {},
    };
    const progress = new Progress('stats');
    let position = 0n;
    while (position < head) {
      if (interrupts.signal.aborted) {
        log(`stats interrupted at position ${position} of ${head}: nothing printed`);
        return EXIT.interrupted;
      }
      const { events, nextFrom } = await store.readAll({ from: position, maxCount: PAGE });
      for (const event of events) {
        if (event.position > head) break;
        result.totalEvents++;
        result.byType[event.type] = (result.byType[event.type] ?? 0) + 1;
        const day = new Date(event.metadata.recordedAt).toISOString().slice(0, 10);
        result.byDay[day] = (result.byDay[day] ?? 0) + 1;
      }
      if (nextFrom <= position) break;
      position = nextFrom;
      progress.update(
        Number(position < head ? position : head),
        Number(head),
        `${result.totalEvents.toLocaleString('en')} events`,
      );
    }
    if (head > 0n) progress.finish(`scanned ${result.totalEvents.toLocaleString('en')} events`);
    result.byType = sortedByCount(result.byType);
    result.byDay = Object.fromEntries(Object.entries(result.byDay).sort(([a], [b]) => (a < b ? -1 : 1)));
    process.stdout.write(json ? `${JSON.stringify(result, null, 2)}\n` : toText(result));
    return EXIT.ok;
  } finally {
    interrupts.dispose();
  }
}

/**
 * The PostgreSQL store's schema size, asked of PostgreSQL directly: the port has no notion of disk
 * size, and EventStoreDB does not report one to clients, so it stays "unknown" there.
 */
async function storeSize(target: EventStoreTarget): Promise<number | null> {
  if (target.adapter !== 'postgres') return null;
  const client = new Client({ connectionString: target.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ bytes: string | null }>(
      `SELECT sum(pg_total_relation_size(c.oid)) AS bytes
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'event_store' AND c.relkind IN ('r', 'p', 'm')`,
    );
    return Number(rows[0]?.bytes ?? 0);
  } finally {
    await client.end();
  }
}

function sortedByCount(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1)));
}

function toText(stats: Stats): string {
  const table = (counts: Record<string, number>) => {
    const width = Math.max(0, ...Object.keys(counts).map((key) => key.length)) + 2;
    return Object.entries(counts).map(([key, count]) => `  ${key.padEnd(width)}${count.toLocaleString('en')}`);
  };
  return [
    `adapter:        ${stats.adapter}`,
    `events:         ${stats.totalEvents.toLocaleString('en')}`,
    `head position:  ${stats.headPosition}`,
    `store size:     ${stats.storeSizeBytes === null ? 'unknown' : formatBytes(stats.storeSizeBytes)}`,
    '',
    'events by type:',
    ...table(stats.byType),
    '',
    'events by day (UTC, recordedAt):',
    ...table(stats.byDay),
    '',
  ].join('\n');
}

function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]} (${bytes.toLocaleString('en')} bytes)`;
}
