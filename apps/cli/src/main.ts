import 'reflect-metadata';
import { ConfigError, loadConfig } from '@ledgerline/config';
import { createEventStore } from '@ledgerline/event-store';
import { prepareDatabases } from '@ledgerline/runtime';
import { rebuildCommand } from './rebuild.command';

const USAGE = `Usage: ledgerline <command>

Commands:
  migrate     start the databases (embedded PostgreSQL unless DATABASE_URL is set) and apply pending migrations
  store-info  print the event store's adapter, head position and consumer groups
  rebuild <projection|all> [--cancel]
              rebuild read models without downtime (carried out by the worker), with progress and ETA
  help        print this text

Configuration is read from the environment (see README.md).`;

async function main(argv: string[]): Promise<number> {
  const [command] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return command ? 0 : 64;
  }
  if (!['migrate', 'store-info', 'rebuild'].includes(command)) {
    process.stderr.write(`Unknown command "${command}".\n\n${USAGE}\n`);
    return 64; // EX_USAGE
  }
  const config = loadConfig();
  const log = (message: string): void => void process.stderr.write(`${message}\n`);
  const databases = await prepareDatabases(config, log);
  try {
    if (command === 'migrate') {
      process.stdout.write('migrations are up to date\n');
      return 0;
    }
    const store = createEventStore(databases.eventStore);
    try {
      if (command === 'rebuild') return await rebuildCommand(argv.slice(1), databases.databaseUrl, store);
      const groups = await store.consumerGroups.list();
      process.stdout.write(
        `${JSON.stringify(
          {
            adapter: store.adapter,
            headPosition: Number(await store.headPosition()),
            consumerGroups: groups.map((g) => ({ name: g.name, checkpoint: Number(g.checkpoint), parked: g.parked })),
          },
          null,
          2,
        )}\n`,
      );
      return 0;
    } finally {
      await store.close();
    }
  } finally {
    await databases.stop();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `${error instanceof ConfigError ? error.message : ((error as Error).stack ?? String(error))}\n`,
    );
    process.exit(error instanceof ConfigError ? 78 : 1);
  },
);
