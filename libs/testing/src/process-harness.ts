import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { withDirectoryLock } from './directory-lock';

export const ROOT = resolve(__dirname, '../../..'); // the repository
export const MAIN = join(ROOT, 'dist/apps/api/src/main.js');
export const WORKER_MAIN = join(ROOT, 'dist/apps/worker/src/main.js');

/**
 * Compiles the apps as `npm start` does, so process tests run the real main.js: once per test run
 * (Jest workers share the runner as parent), under a lock so two workers never write dist/ at once.
 * Not at all when dist/ was built from the sources as they are (`npm ci` has just built it in CI).
 */
export function buildOnce(): void {
  const lock = join(ROOT, '.test-build.lock');
  const marker = join(ROOT, 'dist', `.test-build-${process.ppid}`);
  withDirectoryLock(lock, () => {
    if (existsSync(marker)) return;
    if (!distIsCurrent()) execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'pipe' });
    writeFileSync(marker, '');
  });
}

interface SourceDigestScript {
  sourceDigest(): string;
  recordedDigest(): string | null;
}

const sourceDigestScript = (): SourceDigestScript =>
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a plain Node script of bin/
  require(join(ROOT, 'bin', 'source-digest.js')) as SourceDigestScript;

/** The digest of the sources `npm run build` compiles, as they are now (bin/source-digest.js). */
export function sourceDigest(): string {
  return sourceDigestScript().sourceDigest();
}

/** Whether dist/ was built from the sources as they are now (`digest`, when the caller has it). */
export function distIsCurrent(digest = sourceDigest()): boolean {
  return sourceDigestScript().recordedDigest() === digest;
}

export interface RunningProcess {
  child: ChildProcess;
  output(): string;
}

/** Starts main.js and resolves once /health answers 200 (or fails with the process's output). */
export async function startProcess(env: Record<string, string>, port: number): Promise<RunningProcess> {
  const child = spawn('node', [MAIN], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: '', EVENT_STORE_URL: '', WORKER_PORT: '0', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`process exited ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL'); // a process that never came up must not outlive the test
      throw new Error(`no healthy answer within 60 s:\n${output}`);
    }
    // Bounded: a process that accepts the connection and never answers is retried, then reported.
    const status = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(5_000) }).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return { child, output: () => output };
    await new Promise((done) => setTimeout(done, 200));
  }
}

export function stopProcess(child: ChildProcess, signal: NodeJS.Signals): Promise<number | null> {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done(child.exitCode);
    child.once('exit', (code) => done(code));
    child.kill(signal);
  });
}

/** Starts a compiled entry point and resolves once its output matches `ready`. */
export async function startUntil(script: string, env: Record<string, string>, ready: RegExp): Promise<RunningProcess> {
  const child = spawn('node', [script], {
    cwd: ROOT,
    // WORKER_PORT 0: workers started side by side each get a free port.
    env: { ...process.env, DATABASE_URL: '', EVENT_STORE_URL: '', WORKER_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 60_000;
  while (!ready.test(output)) {
    if (child.exitCode !== null) throw new Error(`process exited ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`not ready within 60 s:\n${output}`);
    }
    await new Promise((done) => setTimeout(done, 50));
  }
  return { child, output: () => output };
}
