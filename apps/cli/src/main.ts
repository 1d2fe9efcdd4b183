import 'reflect-metadata';
import { ConfigError, loadConfig } from '@ledgerline/config';
import { createEventStore } from '@ledgerline/event-store';
import { withUpcasting } from '@ledgerline/events';
import { DatabaseNotMigratedError, prepareDatabases } from '@ledgerline/runtime';
import { UsageError } from './args';
import { type Command, contextWithoutDatabases, EXIT } from './command';
import { auditCommand } from './audit.command';
import { backfillCommand } from './backfill.command';
import { migrateCommand } from './migrate.command';
import { rebuildCommand } from './rebuild.command';
import { reconcileCommand } from './reconcile.command';
import { replayCommand } from './replay.command';
import { statsCommand } from './stats.command';
import { storeInfoCommand } from './store-info.command';
import { stripeEndpointCommand } from './stripe-endpoint.command';
import { tailCommand } from './tail.command';
import { printVersion } from './version';

/** Every command, in the order the usage text lists them. A new command is one file and one line here. */
const COMMANDS: readonly Command[] = [
  migrateCommand,
  storeInfoCommand,
  rebuildCommand,
  replayCommand,
  tailCommand,
  auditCommand,
  statsCommand,
  reconcileCommand,
  backfillCommand,
  stripeEndpointCommand,
];

function usage(): string {
  const entries = [
    ...COMMANDS.map((command) => [command.synopsis, command.summary]),
    ['help [command]', "print this text, or a command's options"],
    ['--version, -v', 'print the version and exit'],
  ];
  const lines = entries.map(([synopsis, summary]) => `  ${synopsis}\n      ${summary}`);
  return `Usage: ledgerline <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nConfiguration is read from the environment (see README.md); docs/cli.md describes every command.`;
}

function commandHelp(command: Command): string {
  return `Usage: ledgerline ${command.synopsis}\n\n${command.summary}${command.help ? `\n\n${command.help}` : ''}`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === '--version' || name === '-v') return printVersion();
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    const topic = name === 'help' ? COMMANDS.find((command) => command.name === args[0]) : undefined;
    process.stdout.write(`${topic ? commandHelp(topic) : usage()}\n`);
    return name ? EXIT.ok : EXIT.usage;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (!command) {
    process.stderr.write(`Unknown command "${name}".\n\n${usage()}\n`);
    return EXIT.usage;
  }
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${commandHelp(command)}\n`);
    return EXIT.ok;
  }
  const run = command.prepare(args);
  const config = loadConfig();
  const log = (message: string): void => void process.stderr.write(`${message}\n`);
  if (command.needsDatabase === false) return run(contextWithoutDatabases(log));
  const databases = await prepareDatabases(config, log, { migrate: command.readOnly !== true });
  try {
    const store = withUpcasting(createEventStore(databases.eventStore));
    try {
      return await run({ databases, store, log });
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
    if (error instanceof UsageError) {
      const command = COMMANDS.find((candidate) => candidate.name === process.argv[2])!;
      process.stderr.write(
        `ledgerline ${command.name}: ${error.message}\nUsage: ledgerline ${error.usage ?? command.synopsis}\n`,
      );
      process.exit(EXIT.usage);
    }
    if (error instanceof DatabaseNotMigratedError) {
      process.stderr.write(`ledgerline ${process.argv[2]}: ${error.message}\n`);
      process.exit(EXIT.tempFail);
    }
    process.stderr.write(
      `${error instanceof ConfigError ? error.message : ((error as Error).stack ?? String(error))}\n`,
    );
    process.exit(error instanceof ConfigError ? EXIT.config : EXIT.failed);
  },
);
