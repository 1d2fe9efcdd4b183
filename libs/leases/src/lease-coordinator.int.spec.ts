import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Pool } from 'pg';
import { createTestDatabase, eventually, runMigrations, type TestDatabase } from '@ledgerline/testing';
import { type Lease, type LeasedUnit, LeaseCoordinator } from './lease-coordinator';
import { LeaseLostError, LeaseTable, type Queryable } from './lease-table';
import { WorkerLeases1764000002600 } from './worker-leases.migration';

const LEASE_MS = 1_000;
const HEARTBEAT_MS = 250;
const UNITS = ['projection:a', 'projection:b', 'projection:c', 'projection:d', 'projection:e', 'projection:f', 'sync'];

/** Records who runs each unit, and fails the test if two coordinators ever run one at once. */
class Ledger {
  readonly runningOn = new Map<string, string>();
  readonly overlaps: string[] = [];
  readonly starts: string[] = [];

  unitsFor(worker: string): LeasedUnit[] {
    return UNITS.map((name) => ({
      name,
      start: async (_lease: Lease) => {
        const other = this.runningOn.get(name);
        if (other) this.overlaps.push(`${name} on ${worker} while on ${other}`);
        this.runningOn.set(name, worker);
        this.starts.push(`${name}@${worker}`);
      },
      stop: async () => {
        if (this.runningOn.get(name) === worker) this.runningOn.delete(name);
      },
    }));
  }

  on(worker: string): string[] {
    return [...this.runningOn].filter(([, owner]) => owner === worker).map(([unit]) => unit);
  }
}

describe('work leases', () => {
  let database: TestDatabase;
  let pool: Pool;
  const db: Queryable = { query: async (sql, params) => (await pool.query(sql, params)).rows };
  let coordinators: LeaseCoordinator[] = [];

  const coordinator = (id: string, ledger: Ledger): LeaseCoordinator => {
    const made = new LeaseCoordinator(db, { id, host: 'test', pid: 1, port: null }, ledger.unitsFor(id), {
      heartbeatMs: HEARTBEAT_MS,
      ttlMs: LEASE_MS,
      log: () => undefined,
    });
    coordinators.push(made);
    return made;
  };

  beforeAll(async () => {
    database = await createTestDatabase('leases');
    await runMigrations(database.url, [WorkerLeases1764000002600]);
    pool = new Pool({ connectionString: database.url });
  });
  afterEach(async () => {
    await Promise.all(coordinators.map((made) => made.stop()));
    coordinators = [];
    await pool.query('TRUNCATE workers.members, workers.leases');
  });
  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  it('runs every unit on exactly one of the live workers, spread across them', async () => {
    const ledger = new Ledger();
    const [one, two, three] = ['w1', 'w2', 'w3'].map((id) => coordinator(id, ledger));
    await Promise.all([one!.start(), two!.start(), three!.start()]);
    await eventually(
      async () => ['w1', 'w2', 'w3'].every((id) => ledger.on(id).length > 0) && ledger.runningOn.size === UNITS.length,
      5_000,
      'every unit running, each worker with a share',
    );
    expect(ledger.overlaps).toEqual([]);
    const owners = await one!.owners();
    for (const unit of UNITS) expect(owners.get(unit)).toBe(ledger.runningOn.get(unit));
  });

  it("moves a dead worker's units to the live ones once its lease has run out", async () => {
    const ledger = new Ledger();
    const [one, two] = ['w1', 'w2'].map((id) => coordinator(id, ledger));
    await Promise.all([one!.start(), two!.start()]);
    await eventually(async () => ledger.on('w1').length > 0 && ledger.on('w2').length > 0, 5_000, 'a share each');
    // A worker that dies stops renewing: simulate it by stopping its loop without releasing anything.
    const orphaned = ledger.on('w1');
    (one as unknown as { halt: AbortController }).halt.abort();
    const died = Date.now();
    await eventually(async () => orphaned.every((unit) => ledger.runningOn.get(unit) === 'w2'), 5_000, 'takeover');
    const tookMs = Date.now() - died;
    // Not before the lease ran out (another worker may still be writing), and soon after.
    expect(tookMs).toBeGreaterThanOrEqual(LEASE_MS - HEARTBEAT_MS);
    expect(tookMs).toBeLessThan(LEASE_MS + 4 * HEARTBEAT_MS);
    coordinators = [two!];
  });

  it('hands units over without a gap when a worker leaves', async () => {
    const ledger = new Ledger();
    const one = coordinator('w1', ledger);
    await one.start();
    expect(ledger.on('w1')).toHaveLength(UNITS.length);
    const two = coordinator('w2', ledger);
    await two.start();
    await eventually(async () => ledger.on('w2').length > 0, 5_000, 'the newcomer to get a share');
    await one.stop();
    coordinators = [two];
    await eventually(async () => ledger.on('w2').length === UNITS.length, 2_000, 'the rest to move');
    expect(ledger.overlaps).toEqual([]);
  });

  it('fences: a write with a lease taken over fails, and a takeover waits for a write in progress', async () => {
    const table = new LeaseTable(db, 200);
    const oldToken = (await table.acquire('projection:x', 'w1'))!;
    expect(await table.acquire('projection:x', 'w2')).toBeNull();

    // w1 is in the middle of a fenced write when its lease runs out and w2 takes over.
    const writer = await pool.connect();
    await writer.query('BEGIN');
    await LeaseTable.fence(
      { query: async (sql, params) => (await writer.query(sql, params)).rows },
      'projection:x',
      'w1',
      oldToken,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    let takenAt = 0;
    const takeover = table.acquire('projection:x', 'w2').then((token) => {
      takenAt = Date.now();
      return token;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(takenAt).toBe(0); // blocked by the write in progress
    const committedAt = Date.now();
    await writer.query('COMMIT');
    writer.release();
    const newToken = await takeover;
    expect(takenAt).toBeGreaterThanOrEqual(committedAt);
    expect(BigInt(newToken!)).toBe(BigInt(oldToken) + 1n);

    // From now on w1's writes are refused.
    const late = await pool.connect();
    try {
      await late.query('BEGIN');
      const query: Queryable['query'] = async (sql, params) => (await late.query(sql, params)).rows;
      await expect(LeaseTable.fence({ query }, 'projection:x', 'w1', oldToken)).rejects.toBeInstanceOf(LeaseLostError);
      await late.query('ROLLBACK');
    } finally {
      late.release();
    }
  });
});
