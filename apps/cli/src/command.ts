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
