import { parseArgs } from './args';
import type { Command } from './command';

/** The migrations themselves run in main (prepareDatabases) before any command not read-only: this only reports. */
export const migrateCommand: Command = {
  name: 'migrate',
  synopsis: 'migrate',
  summary: 'start the databases (embedded PostgreSQL unless DATABASE_URL is set) and apply pending migrations',
  prepare(args) {
    parseArgs(args, {});
    return async () => {
      process.stdout.write('migrations are up to date\n');
      return 0;
    };
  },
};
