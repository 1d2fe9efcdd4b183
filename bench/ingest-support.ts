import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModuleKind, ScriptTarget, transpileModule } from 'typescript';
import { freePort } from '../libs/database/src/embedded-postgres';

export const ROOT = join(__dirname, '..');
export const LEDGERLINE_MAIN = join(ROOT, 'dist/apps/api/src/main.js');
export const WORKER_MAIN = join(ROOT, 'dist/apps/worker/src/main.js');
/** The servers' output, overwritten by each run. */
export const LOG_DIR = join(tmpdir(), 'll-bench-ingest-logs');

export interface BenchServer {
  name: string;
  pid: number;
  url: string;
  logFile: string;
  /** Peak resident set (VmHWM) in MiB; read it before stop(). */
  peakRssMiB(): number;
  stop(): Promise<void>;
}

/** Peak RSS (VmHWM) of a live process, in MiB; NaN where /proc is not there. */
export function peakRssMiB(pid: number | 'self'): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** Ledgerline's api alone (`node dist/apps/api/src/main.js`), ready once /health answers 200. */
export async function startLedgerline(databaseUrl: string, secret: string, processes = 'api'): Promise<BenchServer> {
  if (!existsSync(LEDGERLINE_MAIN)) throw new Error(`${LEDGERLINE_MAIN} is missing: run \`npm run build\` first`);
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DATABASE_URL: databaseUrl };
  delete env.EVENT_STORE_URL; // the event store lives in DATABASE_URL
  Object.assign(env, { STRIPE_WEBHOOK_SECRETS: secret, LEDGERLINE_PROCESSES: processes, WORKER_PORT: '0' });
  // BENCH_SERVER_FLAGS: node flags for the server, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
  const flags = (process.env.BENCH_SERVER_FLAGS ?? '').split(' ').filter(Boolean);
  const server = launch('ledgerline', [...flags, LEDGERLINE_MAIN], env);
  const url = `http://127.0.0.1:${port}`;
  await waitUntil(server, async () => (await fetch(`${url}/health`).catch(() => null))?.status === 200);
  return { ...server, url };
}

export interface BenchWorker extends BenchServer {
  /** Its id among the workers (`workers.members.worker_id`). */
  id: string;
  kill(): void;
}

/** A worker process of its own (`node dist/apps/worker/src/main.js`), ready once it runs its share. */
export async function startWorker(databaseUrl: string, name: string): Promise<BenchWorker> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl, WORKER_PORT: '0' };
  delete env.EVENT_STORE_URL;
  const worker = launch(name, [`--max-old-space-size=192`, WORKER_MAIN], env);
  let id = '';
  await waitUntil(worker, async () => {
    id = /worker running .* as (\S+);/.exec(readFileSync(worker.logFile, 'utf8'))?.[1] ?? '';
    return id !== '';
  });
  return { ...worker, url: '', id, kill: () => worker.child.kill('SIGKILL') };
}

/**
 * The peer, bench/peer-server.ts transpiled to plain JavaScript (no ts-node in its memory or on its
 * CPU, like Ledgerline's built dist), ready once it prints its port.
 */
export function startPeer(databaseUrl: string, secret: string): Promise<BenchServer> {
  return startScript('peer', 'peer-server.ts', { PEER_DATABASE_URL: databaseUrl, PEER_WEBHOOK_SECRET: secret });
}

/** bench/verify-only-server.ts: verifies and parses each webhook, stores nothing (the ceiling). */
export function startVerifyOnly(secret: string): Promise<BenchServer> {
  return startScript('verify-only', 'verify-only-server.ts', { PEER_WEBHOOK_SECRET: secret });
}

async function startScript(name: string, file: string, extraEnv: NodeJS.ProcessEnv): Promise<BenchServer> {
  const script = join(LOG_DIR, file.replace(/\.ts$/, '.js'));
  const source = readFileSync(join(__dirname, file), 'utf8');
  const options = { module: ModuleKind.CommonJS, target: ScriptTarget.ES2022, esModuleInterop: true };
  mkdirSync(LOG_DIR, { recursive: true });
  writeFileSync(script, transpileModule(source, { compilerOptions: options }).outputText);
  const nodePath = join(ROOT, 'node_modules'); // the script lives outside the repo
  const server = launch(name, [script], { ...process.env, NODE_PATH: nodePath, ...extraEnv });
  let port = '';
  await waitUntil(server, async () => {
    port = /PEER_READY (\d+)/.exec(readFileSync(server.logFile, 'utf8'))?.[1] ?? '';
    return port !== '';
  });
  return { ...server, url: `http://127.0.0.1:${port}` };
}

function launch(
  name: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Omit<BenchServer, 'url'> & { child: ChildProcess } {
  const logFile = join(LOG_DIR, `${name}.log`);
  mkdirSync(LOG_DIR, { recursive: true });
  const log = openSync(logFile, 'w');
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', log, log] });
  closeSync(log); // the child has its own copy
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(killer);
  };
  return { name, pid: child.pid!, logFile, child, peakRssMiB: () => peakRssMiB(child.pid!), stop };
}

async function waitUntil(server: ReturnType<typeof launch>, ready: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (!(await ready())) {
    if (server.child.exitCode !== null || Date.now() > deadline) {
      const why = server.child.exitCode !== null ? `exited with ${server.child.exitCode}` : 'not ready in 120 s';
      await server.stop();
      throw new Error(`${server.name} ${why}; last log lines:\n${logTail(server.logFile)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export function logTail(logFile: string, lines = 30): string {
  return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}
