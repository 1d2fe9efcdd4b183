import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PostgresEventStore } from '@ledgerline/event-store';
import { freePort } from '@ledgerline/database';

const ROOT = resolve(__dirname, '../../..');
const MAIN = join(ROOT, 'dist/apps/api/src/main.js');

/**
 * The process as `npm start` runs it: compiled main.js, embedded PostgreSQL under a data dir,
 * migrations at start, SIGTERM shutdown, data kept across restarts.
 */
describe('the Ledgerline process on embedded PostgreSQL', () => {
  let dataDir: string;

  beforeAll(() => {
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'pipe' });
    dataDir = mkdtempSync(join(tmpdir(), 'ledgerline-process-'));
  }, 120_000);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts, answers /health, stops cleanly on SIGTERM and keeps its data for the next start', async () => {
    const port = await freePort();
    const first = await startProcess(dataDir, port);
    const health = await (await fetch(`http://127.0.0.1:${port}/health`)).json();
    expect(health).toEqual({
      status: 'ok',
      database: { status: 'up' },
      eventStore: { status: 'up', adapter: 'postgres', headPosition: 0 },
    });

    // Write an event straight into the embedded database, as another process would.
    const secrets = JSON.parse(readFileSync(join(dataDir, 'postgres/cluster.json'), 'utf8')) as {
      password: string;
      port: number;
    };
    const store = new PostgresEventStore({
      connectionString: `postgres://postgres:${encodeURIComponent(secrets.password)}@127.0.0.1:${secrets.port}/ledgerline`,
    });
    await store.append('process_check-1', [{ type: 'Checked', data: {}, metadata: { source: 'system' } }]);
    await store.close();

    expect(await stopProcess(first.child, 'SIGTERM')).toBe(0);
    expect(first.output()).toContain('stopping embedded PostgreSQL');
    expect(existsSync(join(dataDir, 'postgres/cluster/postmaster.pid'))).toBe(false);

    const second = await startProcess(dataDir, port);
    const again = (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as {
      eventStore: { headPosition: number };
    };
    expect(again.eventStore.headPosition).toBe(1);
    expect(await stopProcess(second.child, 'SIGINT')).toBe(0);
  }, 120_000);

  it('refuses to start on a bad value, naming the variable and what it expects', () => {
    const result = spawnSyncMain({ PORT: 'eighty', API_KEYS: 'root:0123456789abcdef0' });
    expect(result.status).toBe(78);
    expect(result.stderr).toContain('PORT: expected an integer from 1 to 65535, got "eighty"');
    expect(result.stderr).toContain('API_KEYS: entry 1 has unknown role "root"');
  });
});

function spawnSyncMain(env: Record<string, string>): { status: number | null; stderr: string } {
  try {
    execFileSync('node', [MAIN], { env: { ...process.env, ...env, DATABASE_URL: '' }, stdio: 'pipe' });
    return { status: 0, stderr: '' };
  } catch (error) {
    const failed = error as { status: number | null; stderr: Buffer };
    return { status: failed.status, stderr: failed.stderr.toString() };
  }
}

async function startProcess(dataDir: string, port: number): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn('node', [MAIN], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: '', EVENT_STORE_URL: '', LEDGERLINE_DATA_DIR: dataDir, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`process exited ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) throw new Error(`no healthy answer within 60 s:\n${output}`);
    const status = await fetch(`http://127.0.0.1:${port}/health`).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return { child, output: () => output };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function stopProcess(child: ChildProcess, signal: NodeJS.Signals): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill(signal);
  });
}
