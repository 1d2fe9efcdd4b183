import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client } from 'pg';
import { createDataSource } from '@ledgerline/database';
import type { PostgresEventStore, RecordedEvent } from '@ledgerline/event-store';
import { ProjectionStore } from '@ledgerline/projections';
import { allProjectors } from '@ledgerline/read-models';
import { buildOnce, createTestDatabase, type TestDatabase } from '@ledgerline/testing';
import { openStore, runCli, spawnCli, stripeEvent } from './cli-harness';

type Row = Record<string, unknown> & { stripe_id: string; email: string };

/**
 * Customers A (positions 1..20), B (21..50), C (51..70), a few milliseconds apart so times split
 * them, then D (71..670) for the long, interrupted runs. The customers read model is built from
 * them in the test, its rows kept as the truth, and then corrupted by hand.
 */
describe('ledgerline replay', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let db: Client;
  let truth: Map<string, Row>;
  let head: bigint;
  const recorded: Record<string, RecordedEvent[]> = {};

  const customers = async (prefix: string): Promise<Row[]> =>
    (await db.query<Row>(`SELECT * FROM customers WHERE stripe_id LIKE $1 ORDER BY stripe_id`, [`cus_${prefix}%`]))
      .rows;
  const truthOf = (prefix: string) => [...truth.values()].filter((row) => row.stripe_id.startsWith(`cus_${prefix}`));
  /**
   * Wrong values under the stamps of the events that wrote them, as a mapping bug leaves them: a
   * replay must rewrite them (the same event applied again wins over itself).
   */
  const corrupt = (prefix: string) =>
    db.query(`UPDATE customers SET email = 'wrong@example.com', balance = -1 WHERE stripe_id LIKE $1`, [
      `cus_${prefix}%`,
    ]);
  const runRow = async (id: string) =>
    (
      await db.query(
        `SELECT status, position::int, applied, events_read::int FROM projections.replay_runs WHERE id = $1`,
        [id],
      )
    ).rows[0];

  beforeAll(async () => {
    buildOnce();
    database = await createTestDatabase('cli_replay');
    store = await openStore(database.url);
    for (const [group, count] of [
      ['a', 20],
      ['b', 30],
      ['c', 20],
      ['d', 600],
    ] as const) {
      const positions: bigint[] = [];
      for (let chunk = 0; chunk < count; chunk += 100) {
        const appended = await Promise.all(
          Array.from({ length: Math.min(100, count - chunk) }, (_, i) => {
            const n = String(chunk + i).padStart(4, '0');
            const { stream, event } = stripeEvent(
              'customer.created',
              { id: `cus_${group}${n}`, object: 'customer', email: `${group}${n}@example.com`, balance: chunk + i },
              1_700_000_000 + chunk + i,
            );
            return store.append(stream, [event]);
          }),
        );
        positions.push(...appended.map((result) => result.events[0]!.position));
      }
      const from = positions.reduce((a, b) => (a < b ? a : b)) - 1n;
      recorded[group] = (await store.readAll({ from, maxCount: count })).events;
      await sleep(30); // distinct recordedAt milliseconds between groups
    }
    head = await store.headPosition();
    const dataSource = await createDataSource(database.url, []).initialize();
    try {
      const projector = allProjectors().find((candidate) => candidate.name === 'customers')!;
      await new ProjectionStore(dataSource).transaction(async (tx) => {
        await projector.applyBatch!((await store.readAll({ maxCount: 10_000 })).events, tx);
        await tx.query(
          `INSERT INTO projections.projection_state (name, version, position) VALUES ('customers', 2, $1)`,
          [head.toString()],
        );
      });
    } finally {
      await dataSource.destroy();
    }
    db = new Client({ connectionString: database.url });
    await db.connect();
    truth = new Map((await customers('')).map((row) => [row.stripe_id, row]));
  }, 180_000);
  afterAll(async () => {
    await db?.end();
    await store?.close();
    await database?.drop();
  });

  it('fixes rows corrupted within a time range and leaves those outside it alone; --dry-run writes nothing', async () => {
    expect(head).toBe(670n);
    for (const group of ['a', 'b', 'c']) await corrupt(group);
    await db.query(`DELETE FROM customers WHERE stripe_id IN ('cus_b0003', 'cus_b0017')`); // events it never got
    const corrupted = await customers('');
    // B's first event is inside (from is inclusive), C's first event is outside (to is exclusive).
    const range = ['--from', recorded.b![0]!.metadata.recordedAt, '--to', recorded.c![0]!.metadata.recordedAt];

    const dryRun = await runCli(['replay', ...range, '--projection', 'customers', '--dry-run'], database.url);
    expect(dryRun).toMatchObject({ code: 0 });
    expect(dryRun.stdout).toMatch(/dry run, nothing written: positions 21\.\.50\n/);
    expect(dryRun.stdout).toMatch(
      /events per type \(applied by at least one projection\):\n {2}customer\.created +30\n/,
    );
    expect(dryRun.stdout).toMatch(/events per projection:\n {2}customers +30\n/);
    expect(await customers('')).toEqual(corrupted);
    expect((await db.query(`SELECT count(*)::int AS n FROM projections.replay_runs`)).rows[0].n).toBe(0);

    const replay = await runCli(['replay', ...range, '--projection', 'customers'], database.url);
    expect(replay.stderr).toMatch(/range: positions 21\.\.50; projections: customers/);
    expect(replay).toMatchObject({ code: 0 });
    expect(replay.stdout).toMatch(
      /^replay run (\d+) done: positions 21\.\.50, 30 events read; applied: customers 30\n$/,
    );
    expect(await customers('b')).toEqual(truthOf('b'));
    for (const row of [...(await customers('a')), ...(await customers('c'))]) {
      expect([row.stripe_id, row.email, row.balance]).toEqual([row.stripe_id, 'wrong@example.com', '-1']);
    }
    // The projector's checkpoint did not move; the run is recorded as done.
    expect(
      (await db.query(`SELECT position::int FROM projections.projection_state WHERE name = 'customers'`)).rows,
    ).toEqual([{ position: 670 }]);
    const [, id] = replay.stdout.match(/replay run (\d+)/)!;
    expect(await runRow(id!)).toEqual({ status: 'done', position: 50, applied: { customers: 30 }, events_read: 30 });
  }, 90_000);

  it('is stopped by SIGINT after a batch, taken over after a crash, and ends with the rows an uninterrupted run gives', async () => {
    await corrupt('d');
    const replay = spawnCli(
      [
        'replay',
        '--from',
        '71',
        '--to',
        '670',
        '--projection',
        'customers',
        '--types',
        'customer.',
        '--batch-size',
        '2',
      ],
      database.url,
    );
    const [, id] = await replay.waitFor(/replay run (\d+) created/, 'stderr');
    await until(async () => (await runRow(id!)).position > 120);
    replay.child.kill('SIGINT');
    expect(await replay.exited).toBe(130);
    expect(replay.stderr()).toMatch(new RegExp(`resume with: ledgerline replay --resume ${id}\\n`));
    const interrupted = await runRow(id!);
    expect(interrupted.status).toBe('interrupted');
    expect(interrupted.position).toBeLessThan(670);

    // A crash (SIGKILL) mid-run leaves the run `running`; --resume takes over from its position.
    const resumed = spawnCli(['replay', '--resume', id!], database.url);
    await resumed.waitFor(
      new RegExp(`resuming replay run ${id} \\(interrupted\\) after position ${interrupted.position}`),
      'stderr',
    );
    await until(async () => (await runRow(id!)).position > interrupted.position + 50);
    resumed.child.kill('SIGKILL');
    await resumed.exited;
    const crashed = await runRow(id!);
    expect(crashed.status).toBe('running');
    expect(crashed.position).toBeLessThan(670);

    const finished = await runCli(['replay', '--resume', id!], database.url);
    expect(finished).toMatchObject({ code: 0 });
    expect(finished.stdout).toMatch(/positions 71\.\.670, 600 events read; applied: customers 600/);
    // Every batch was counted exactly once across the three processes, and the rows are the truth.
    expect(await runRow(id!)).toEqual({
      status: 'done',
      position: 670,
      applied: { customers: 600 },
      events_read: 600,
    });
    expect(await customers('d')).toEqual(truthOf('d'));
    // A done run resumed again only reports.
    expect((await runCli(['replay', '--resume', id!], database.url)).stdout).toMatch(/replay run \d+ done/);
  }, 120_000);

  it('refuses projections that are not replay-safe, and while a rebuild is active', async () => {
    const unsafe = await runCli(
      ['replay', '--from', '1', '--to', '10', '--projection', 'stripe_objects'],
      database.url,
    );
    expect(unsafe.code).toBe(64);
    expect(unsafe.stderr).toMatch(/"stripe_objects" is not replay-safe.*ledgerline rebuild stripe_objects/);
    const notifications = await runCli(
      ['replay', '--from', '1', '--to', '10', '--projection', 'notifications'],
      database.url,
    );
    expect(notifications.code).toBe(64);

    await db.query(
      `INSERT INTO projections.rebuild_requests (projection, status, reason) VALUES ('customers', 'running', 'test')`,
    );
    try {
      const refused = await runCli(['replay', '--from', '1', '--to', '10', '--projection', 'customers'], database.url);
      expect(refused.code).toBe(75);
      expect(refused.stderr).toMatch(/a rebuild of customers is requested or running/);
    } finally {
      await db.query(`UPDATE projections.rebuild_requests SET status = 'cancelled' WHERE projection = 'customers'`);
    }
  }, 60_000);

  it('answers a usage error with exit 64, naming the option, with the usage line', async () => {
    // Every refusal is checked in command-usage.unit.spec.ts; this is the process's answer to one.
    const result = await runCli(['replay', '--from', '1', '--to', '5', '--dryrun'], database.url);
    expect(result.code).toBe(64);
    expect(result.stderr).toMatch(/unknown option --dryrun/);
    expect(result.stderr).toMatch(/Usage: ledgerline replay /);
    const unknownRun = await runCli(['replay', '--resume', '999'], database.url);
    expect(unknownRun.code).toBe(1);
    expect(unknownRun.stderr).toMatch(/no replay run 999/);
  }, 60_000);
});

async function until(condition: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !(await condition());) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}
