import { execFile, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client } from 'pg';
import type { PostgresEventStore } from '@ledgerline/event-store';
import {
  buildOnce,
  createTestDatabase,
  eventually,
  startStripeServer,
  STRIPE_TEST_API_KEY,
  type StripeTestServer,
  type TestDatabase,
} from '@ledgerline/testing';
import { SMALL_ACCOUNT, stripeAccountObjects } from '../../../libs/backfill/src/testing/stripe-account.fixture';
import { CLI, type CliResult, cliEnv, openStore } from './cli-harness';

const OBJECTS = ['--objects', 'invoices,customers,subscriptions'];
const IMPORTED = SMALL_ACCOUNT.customers + SMALL_ACCOUNT.subscriptions + SMALL_ACCOUNT.invoices;

/**
 * `ledgerline backfill` against a local Stripe server holding an existing account: a run killed with
 * SIGKILL midway, resumed by the same command from its last committed page, then run again.
 */
describe('ledgerline backfill', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let server: StripeTestServer;
  let db: Client;
  let env: NodeJS.ProcessEnv;

  const cli = (args: string[], environment = env): Promise<CliResult> =>
    new Promise((resolve) => {
      execFile('node', [CLI, 'backfill', ...args], { env: environment, timeout: 90_000 }, (error, stdout, stderr) => {
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      });
    });
  const backfillEvents = async (): Promise<{ events: number; streams: number }> => {
    const { rows } = await db.query(
      `SELECT count(*)::int AS events, count(DISTINCT stream_name)::int AS streams
         FROM event_store.events WHERE metadata->>'source' = 'backfill'`,
    );
    return rows[0];
  };
  const progress = async () =>
    (await db.query(`SELECT object_type, cursor, done, fetched::int FROM backfill_progress ORDER BY ordinal`)).rows as {
      object_type: string;
      cursor: string | null;
      done: boolean;
      fetched: number;
    }[];

  beforeAll(async () => {
    buildOnce();
    database = await createTestDatabase('cli_backfill');
    store = await openStore(database.url);
    server = await startStripeServer();
    server.seedObjects(stripeAccountObjects(SMALL_ACCOUNT, 'cli'));
    db = new Client({ connectionString: database.url });
    await db.connect();
    // Slow enough (5 requests/s, 10 objects a page) for the kill to land mid-run.
    env = {
      ...cliEnv(database.url),
      STRIPE_API_KEY: STRIPE_TEST_API_KEY,
      STRIPE_API_BASE: server.url,
      BACKFILL_REQUESTS_PER_SECOND: '5',
      BACKFILL_PAGE_SIZE: '10',
    };
  }, 180_000);
  afterAll(async () => {
    await db?.end();
    await server?.close();
    await store?.close();
    await database?.drop();
  });

  it('refuses bad options before starting anything, and runs without a Stripe key only to say it cannot', async () => {
    const unknown = await cli(['--objects', 'customers,widgets']);
    expect(unknown.code).toBe(64);
    expect(unknown.stderr).toContain(
      'option --objects: unknown object type "widgets": expected some of customers, products',
    );
    const both = await cli(['--since', '2024-01-01', '--days', '3']);
    expect(both).toMatchObject({ code: 64 });
    expect(both.stderr).toContain('give since or days, not both');
    const account = await cli(['--account', 'cus_123']);
    expect(account.stderr).toContain('account needs a Connect account id (acct_...) or "all"');
    const keyless = await cli(OBJECTS, { ...env, STRIPE_API_KEY: '' });
    expect(keyless.code).toBe(78);
    expect(keyless.stderr).toContain('STRIPE_API_KEY is not set');
  }, 60_000);

  it('survives a SIGKILL midway: the same command resumes from the last committed page and stores each object once', async () => {
    const child = spawn('node', [CLI, 'backfill', ...OBJECTS], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await eventually(
      async () => ((await progress()).find((row) => row.object_type === 'customers')?.fetched ?? 0) >= 30,
      30_000,
      'the customers listing to commit three pages',
    );
    child.kill('SIGKILL');
    await exited;
    const atKill = await progress();
    const customers = atKill.find((row) => row.object_type === 'customers')!;
    expect(customers.done).toBe(false);
    expect(stderr).toMatch(/backfill run [0-9a-f-]{36} started/);
    server.reset();

    const resumed = await cli(OBJECTS);
    expect(resumed.stderr).toMatch(/backfill run [0-9a-f-]{36} resumed where it stopped/);
    expect(resumed.code).toBe(0);
    // The customers listing went on after its cursor, not from the first page.
    expect(server.requests({ method: 'GET', path: '/v1/customers' })[0]!.query.starting_after).toBe(customers.cursor);
    expect(resumed.stderr).toMatch(/customers +done: 110 fetched/);
    expect(resumed.stdout).toMatch(/^total +185 +185 +0 +0 +done$/m);
    expect(await backfillEvents()).toEqual({ events: IMPORTED, streams: IMPORTED });

    const again = await cli(OBJECTS);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/backfill run [0-9a-f-]{36} started/);
    expect(again.stdout).toMatch(/^total +185 +0 +185 +0 +done$/m);
    expect(await backfillEvents()).toEqual({ events: IMPORTED, streams: IMPORTED });

    const listed = await cli(['--list']);
    expect(listed.stdout.trim().split('\n')).toHaveLength(2);
    const id = again.stderr.match(/backfill run ([0-9a-f-]{36})/)![1]!;
    const shown = JSON.parse((await cli(['--show', id])).stdout);
    expect(shown).toMatchObject({
      id,
      status: 'done',
      totals: { fetched: 185, appended: 0, unchanged: 185, failed: 0 },
    });
  }, 120_000);
});
