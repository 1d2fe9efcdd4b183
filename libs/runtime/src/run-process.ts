import { ConfigError, type LedgerlineConfig, loadConfig, parseLoggingConfig } from '@ledgerline/config';
import { createProcessLogger, type ProcessLogger } from '@ledgerline/observability';
import { type PreparedDatabases, prepareDatabases } from './prepare-database';

export interface RunningApp {
  close(): Promise<void>;
}

export type ProcessLog = (message: string) => void;

/**
 * The life of a Ledgerline process: validate configuration (a bad value stops start-up with a
 * message naming it), prepare the databases, start the app, and on SIGINT/SIGTERM drain the app
 * before stopping embedded PostgreSQL, so no request or projection batch is cut off mid-write.
 *
 * Everything the process writes goes through one pino logger (`name`: api or worker): one JSON
 * object a line on stdout, pretty-printed on a terminal (LOG_LEVEL, LOG_FORMAT). `start` gets it to
 * hand to Nest; `log` is its info level.
 */
export async function runProcess(
  name: string,
  start: (
    config: LedgerlineConfig,
    databases: PreparedDatabases,
    log: ProcessLog,
    logger: ProcessLogger,
  ) => Promise<RunningApp>,
): Promise<void> {
  let config: LedgerlineConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      // LOG_LEVEL or LOG_FORMAT may be among the problems: what is valid of them is used, else the defaults.
      const logging = parseLoggingConfig((variable) => process.env[variable]?.trim() || undefined, []);
      createProcessLogger(name, logging).fatal({ problems: error.problems }, error.message);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }

  const logger = createProcessLogger(name, config.logging);
  const log: ProcessLog = (message) => logger.info(message);
  // What Node itself would print as text: warnings, and an error nothing caught (then it exits, as Node would).
  process.removeAllListeners('warning');
  process.on('warning', (warning) => logger.warn({ err: warning }, `${warning.name}: ${warning.message}`));
  process.on('uncaughtException', (error) => {
    logger.fatal({ err: error }, `uncaught exception: ${error.message}`);
    process.exit(1);
  });

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
    app = await start(config, databases, log, logger);
  } catch (error) {
    logger.fatal({ err: error }, `failed to start: ${error instanceof Error ? error.message : String(error)}`);
    await databases?.stop().catch(() => undefined);
    process.exit(1);
  }
}
