import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PostgresEventStore } from '@ledgerline/event-store';
import { freePort } from '@ledgerline/database';
import { buildOnce, MAIN, startProcess, stopProcess } from '@ledgerline/testing';

/**
 * The process as `npm start` runs it: compiled main.js, embedded PostgreSQL under a data dir,
 * migrations at start, SIGTERM shutdown, data kept across restarts.
 */
describe('the Ledgerline process on embedded PostgreSQL', () => {
  let dataDir: string;

  beforeAll(() => {
    buildOnce();
    dataDir = mkdtempSync(join(tmpdir(), 'ledgerline-process-'));
  }, 120_000);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts, answers /health, stops cleanly on SIGTERM and keeps its data for the next start', async () => {
    const port = await freePort();
    const first = await startProcess({ LEDGERLINE_DATA_DIR: dataDir }, port);
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

    const second = await startProcess({ LEDGERLINE_DATA_DIR: dataDir }, port);
    const again = (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as {
      eventStore: { headPosition: number };
    };
    expect(again.eventStore.headPosition).toBe(1);
    expect(await stopProcess(second.child, 'SIGINT')).toBe(0);
  }, 120_000);

  it('refuses to start on a bad value, naming the variable and what it expects', () => {
    const result = spawnSyncMain({ PORT: 'eighty', API_KEYS: 'root:0123456789abcdef0', LOG_LEVEL: 'loud' });
    expect(result.status).toBe(78);
    // One JSON line (stdout is not a terminal), at fatal, every problem in its message.
    const lines = result.output.trim().split('\n');
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!) as { level: string; msg: string; problems: string[] };
    expect(line.level).toBe('fatal');
    expect(line.msg).toContain('PORT: expected an integer from 1 to 65535, got "eighty"');
    expect(line.msg).toContain('API_KEYS: entry 1 has unknown role "root"');
    expect(line.msg).toContain('LOG_LEVEL: expected one of trace, debug, info, warn, error, fatal, silent, got "loud"');
    expect(line.problems).toHaveLength(3);
  });
});

function spawnSyncMain(env: Record<string, string>): { status: number | null; output: string } {
  try {
    const stdout = execFileSync('node', [MAIN], { env: { ...process.env, ...env, DATABASE_URL: '' }, stdio: 'pipe' });
    return { status: 0, output: stdout.toString() };
  } catch (error) {
    const failed = error as { status: number | null; stdout: Buffer; stderr: Buffer };
    return { status: failed.status, output: failed.stdout.toString() + failed.stderr.toString() };
  }
}
