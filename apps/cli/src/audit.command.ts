import { createDataSource } from '@ledgerline/database';
import { type EventStore, isUuid } from '@ledgerline/event-store';
import { type AuditEntry, auditEntryOf, customerAudit, findCustomer } from '@ledgerline/read-models';
import { READ_MODEL_MIGRATIONS } from '@ledgerline/runtime';
import { parseArgs, UsageError } from './args';
import { type Command, EXIT } from './command';

const PAGE = 500;

/**
 * `ledgerline audit <customer id | stream>`: who changed what, when. A customer (platform id or
 * `cus_...`) gives the merged trail of every stream that feeds its record, as
 * `GET /customers/:id/audit`; a stream name gives that stream's events, as `GET /streams/:stream`.
 */
export const auditCommand: Command = {
  name: 'audit',
  readOnly: true,
  synopsis: 'audit <customer id | cus_... | stream> [--json] [--desc]',
  summary:
    'every event that shaped a customer record (or one stream), oldest first, with actor and a one-line description',
  help: ['  --json   one JSON object per line (NDJSON) instead of aligned text', '  --desc   newest first'].join('\n'),
  prepare(args) {
    const { positionals, options } = parseArgs(
      args,
      { json: { type: 'boolean' }, desc: { type: 'boolean' } },
      { maxPositionals: 1 },
    );
    const [target] = positionals;
    if (!target) throw new UsageError('name a customer (platform id or cus_...) or a stream');
    const print = options.json ? printJson : printLine;
    const order = options.desc ? 'desc' : 'asc';
    return async ({ databases, store }) => {
      const dataSource = await createDataSource(databases.databaseUrl, READ_MODEL_MIGRATIONS).initialize();
      try {
        const customer = target.startsWith('cus_') || isUuid(target) ? await findCustomer(dataSource, target) : null;
        if (customer) {
          let after: string | undefined;
          do {
            const page = await customerAudit(dataSource, store, customer, { limit: PAGE, after, order });
            page.entries.forEach(print);
            after = page.next ?? undefined;
          } while (after);
          return EXIT.ok;
        }
        const printed = await printStream(store, target, order, print);
        if (printed) return EXIT.ok;
        process.stderr.write(`ledgerline audit: no customer and no stream "${target}"\n`);
        return EXIT.failed;
      } finally {
        await dataSource.destroy();
      }
    };
  },
};

async function printStream(
  store: EventStore,
  stream: string,
  order: 'asc' | 'desc',
  print: (entry: AuditEntry) => void,
): Promise<boolean> {
  const direction = order === 'asc' ? 'forwards' : 'backwards';
  let from: bigint | undefined;
  let printed = false;
  for (;;) {
    const events = await store.readStream(stream, { direction, fromRevision: from, maxCount: PAGE });
    events.forEach((event) => print(auditEntryOf(event)));
    printed ||= events.length > 0;
    const last = events[events.length - 1];
    if (events.length < PAGE || !last) return printed;
    from = last.revision + (direction === 'forwards' ? 1n : -1n);
    if (from < 0n) return printed;
  }
}

function printLine(entry: AuditEntry): void {
  const at = entry.at.replace(/\.000Z$/, 'Z');
  process.stdout.write(
    `${at}  ${entry.actor.padEnd(22)}  ${entry.description}  [${entry.stream}@${entry.revision} ${entry.type}]\n`,
  );
}

function printJson(entry: AuditEntry): void {
  process.stdout.write(`${JSON.stringify(entry)}\n`);
}
