import { ConfigError, type LedgerlineConfig, loadConfig } from '@ledgerline/config';
import { type PreparedDatabases, prepareDatabases } from './prepare-database';

export interface RunningApp {
  close(): Promise<void>;
}

export type ProcessLog = (message: string) => void;

/**
 * The life of a Ledgerline process: validate configuration (a bad value stops start-up with a
 * message naming it), prepare the databases, start the app, and on SIGINT/SIGTERM drain the app
 * before stopping embedded PostgreSQL, so no request or projection batch is cut off mid-write.
 */
export async function runProcess(
  name: string,
  start: (config: LedgerlineConfig, databases: PreparedDatabases, log: ProcessLog) => Promise<RunningApp>,
): Promise<void> {
  const log: ProcessLog = (message) => process.stdout.write(`[ledgerline:${name}] ${message}\n`);
  let config: LedgerlineConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`[ledgerline:${name}] ${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }

  let databases: PreparedDatabases | null = null;
  let app: RunningApp | null = null;
  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log(`${signal} received: shutting down`);
    try {
      await app?.close();
    } finally {
      await databases?.stop();
    }
    log('stopped');
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));

  try {
    databases = await prepareDatabases(config, log);
    app = await start(config, databases, log);
  } catch (error) {
    process.stderr.write(`[ledgerline:${name}] failed to start: ${(error as Error).stack ?? String(error)}\n`);
    await databases?.stop().catch(() => undefined);
    process.exit(1);
  }
}
