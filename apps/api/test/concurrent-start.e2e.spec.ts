import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { freePort, migrationNames } from '@ledgerline/database';
import { EVENT_STORE_MIGRATIONS } from '@ledgerline/event-store';
import { READ_MODEL_MIGRATIONS } from '@ledgerline/runtime';
import {
  buildOnce,
  createTestDatabase,
  recordedMigrations,
  ROOT,
  type RunningProcess,
  startProcess,
  startUntil,
  stopProcess,
  type TestDatabase,
  WORKER_MAIN,
} from '@ledgerline/testing';

const APPLIED_LINE = /applied \d+ migration\(s\)/;
const STORE_NAMES = migrationNames(EVENT_STORE_MIGRATIONS).sort();
const READ_MODEL_NAMES = migrationNames(READ_MODEL_MIGRATIONS).sort();

interface CliRun {
  code: number;
  output: string;
}

/** `ledgerline migrate` run to its end, as an operator's deploy script would. */
function cliMigrate(env: Record<string, string>): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      'node',
      [join(ROOT, 'bin/ledgerline.js'), 'migrate'],
      { cwd: ROOT, env: { ...process.env, DATABASE_URL: '', EVENT_STORE_URL: '', ...env }, timeout: 90_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, output: stdout + stderr });
      },
    );
  });
}

/** The systemd units in infra/ start the api and the workers at the same moment, as these tests do. */
describe('processes started at the same instant on empty databases', () => {
  const databases: TestDatabase[] = [];
  const running: RunningProcess[] = [];

  beforeAll(() => buildOnce(), 300_000);
  afterAll(async () => {
    await Promise.all(running.map((started) => stopProcess(started.child, 'SIGTERM')));
    await Promise.all(databases.map((database) => database.drop()));
  });

  const fresh = async (prefix: string): Promise<TestDatabase> => {
    const database = await createTestDatabase(prefix);
    databases.push(database);
    return database;
  };

  /** Waits for every start (all already spawned); those that came up are kept for afterAll to stop. */
  async function allUp(starts: Promise<RunningProcess>[]): Promise<RunningProcess[]> {
    const results = await Promise.allSettled(starts);
    const up = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    running.push(...up);
    expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
    return up;
  }

  /** SIGTERM to each; one still running after 30 s is killed and its output shown. */
  async function stopAll(processes: RunningProcess[]): Promise<void> {
    const stopped = await Promise.all(
      processes.map(async (started) => {
        const timer = setTimeout(() => started.child.kill('SIGKILL'), 30_000);
        const code = await stopProcess(started.child, 'SIGTERM');
        clearTimeout(timer);
        return code === 0 ? 0 : `exit ${code} (${started.child.signalCode ?? 'no signal'}):\n${started.output()}`;
      }),
    );
    expect(stopped).toEqual(processes.map(() => 0));
  }

  it('the api, three workers and `ledgerline migrate` all come up; each migration ran once, in one process', async () => {
    const { url } = await fresh('concurrent_start');
    const worker = { DATABASE_URL: url, WORKER_PORT: '0' };
    const port = await freePort();

    const [cli, processes] = await Promise.all([
      cliMigrate({ DATABASE_URL: url }),
      allUp([
        startProcess({ DATABASE_URL: url, LEDGERLINE_PROCESSES: 'api' }, port),
        startUntil(WORKER_MAIN, worker, /worker started/),
        startUntil(WORKER_MAIN, worker, /worker started/),
        startUntil(WORKER_MAIN, worker, /worker started/),
      ]),
    ]);

    expect(cli).toEqual({ code: 0, output: expect.stringContaining('migrations are up to date') });
    const outputs = [cli.output, ...processes.map((started) => started.output())];
    expect(outputs.filter((output) => APPLIED_LINE.test(output))).toHaveLength(1);
    expect(await recordedMigrations(url)).toEqual([...STORE_NAMES, ...READ_MODEL_NAMES].sort());
    await stopAll(processes);
  }, 240_000);

  it('with the event store in a database of its own, the api and two workers come up; both are migrated once', async () => {
    const [readModels, eventStore] = await Promise.all([fresh('concurrent_read'), fresh('concurrent_store')]);
    const env = { DATABASE_URL: readModels.url, EVENT_STORE_URL: eventStore.url };
    const port = await freePort();

    const processes = await allUp([
      startProcess({ ...env, LEDGERLINE_PROCESSES: 'api' }, port),
      startUntil(WORKER_MAIN, { ...env, WORKER_PORT: '0' }, /worker started/),
      startUntil(WORKER_MAIN, { ...env, WORKER_PORT: '0' }, /worker started/),
    ]);

    expect(await recordedMigrations(readModels.url)).toEqual(READ_MODEL_NAMES);
    expect(await recordedMigrations(eventStore.url)).toEqual(STORE_NAMES);
    await stopAll(processes);
  }, 240_000);
});
