import type { EventStore } from '@ledgerline/event-store';
import type { PreparedDatabases } from '@ledgerline/runtime';

/** What a command gets once its arguments are valid: the databases, migrated (or found so), and the store. */
export interface CliContext {
  databases: PreparedDatabases;
  store: EventStore;
  /** Progress and diagnostics (stderr), so that stdout stays the command's output. */
  log(message: string): void;
}

export type RunCommand = (context: CliContext) => Promise<number>;

/** The context of a command with `needsDatabase: false`: `log` works, `databases` and `store` throw. */
export function contextWithoutDatabases(log: (message: string) => void): CliContext {
  const none = (): never => {
    throw new Error('this command runs without the databases (needsDatabase: false)');
  };
  return {
    log,
    get databases() {
      return none();
    },
    get store() {
      return none();
    },
  };
}

/**
 * One `ledgerline <name>` command. `prepare` checks the arguments before anything is started (no
 * database, no embedded PostgreSQL for a typo) and returns what runs once the context exists.
 */
export interface Command {
  readonly name: string;
  /** `name [options]`, as the usage text shows it. */
  readonly synopsis: string;
  readonly summary: string;
  /** Longer help for `ledgerline help <name>`: options, one per line. */
  readonly help?: string;
  /**
   * Only reads: it applies no migration, and refuses (EXIT.tempFail) a database with one pending, so
   * that looking never changes a schema under the processes that own it, nor races their start.
   */
  readonly readOnly?: boolean;
  /**
   * `false`: the command needs no database (it only talks to Stripe): nothing is started or migrated,
   * and its context has `log` only (see contextWithoutDatabases).
   */
  readonly needsDatabase?: false;
  /** Throws UsageError for bad arguments. */
  prepare(args: string[]): RunCommand;
}

/** Exit codes (sysexits.h where one fits). Documented in docs/cli.md. */
export const EXIT = {
  ok: 0,
  failed: 1,
  /** `reconcile` completed and found discrepancies: a script can tell them from a failure (1). */
  findings: 2,
  usage: 64,
  tempFail: 75,
  config: 78,
  interrupted: 130,
} as const;
