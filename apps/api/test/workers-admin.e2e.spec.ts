import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client } from 'pg';
import request from 'supertest';
import { allProjectors } from '@ledgerline/read-models';
import { type ApiTestApp, startApiTestApp, TEST_KEYS } from './api-test-app';

interface Overview {
  leaseMs: number;
  workers: { workerId: string; pid: number; units: string[] }[];
  unowned: string[];
}

/** GET /admin/workers: which live worker runs which unit, and which units no live worker runs. */
describe('workers administration', () => {
  let harness: ApiTestApp;
  const get = (key: string) =>
    request(harness.app.getHttpServer()).get('/admin/workers').set('Authorization', `Bearer ${key}`);

  beforeAll(async () => {
    // A long lease: the in-process worker's next heartbeat (a quarter of it) does not come mid-test.
    harness = await startApiTestApp({ WORKER_LEASE_MS: '60000' }, true);
  });
  afterAll(async () => harness?.close());

  it('lists the worker in this process with every projection it runs, and nothing unowned', async () => {
    const { body } = (await get(TEST_KEYS.admin).expect(200)) as { body: Overview };
    expect(body.leaseMs).toBe(60_000);
    expect(body.workers).toHaveLength(1);
    expect(body.workers[0]!.pid).toBe(process.pid);
    expect(body.workers[0]!.units.sort()).toEqual(
      allProjectors()
        .map((p) => `projection:${p.name}`)
        .sort(),
    );
    expect(body.unowned).toEqual([]);
  });

  it('shows a unit whose worker died as unowned once its lease has run out', async () => {
    const client = new Client({ connectionString: harness.database.url });
    await client.connect();
    try {
      // A worker that stopped heartbeating two lease times ago, still named as the owner of a unit.
      await client.query(
        `INSERT INTO workers.members (worker_id, host, pid, heartbeat_at) VALUES ('gone:1:dead', 'gone', 1, now() - interval '2 minutes')`,
      );
      await client.query(
        `UPDATE workers.leases SET owner = 'gone:1:dead', expires_at = now() - interval '1 minute' WHERE unit = 'projection:catalog'`,
      );
      const { body } = (await get(TEST_KEYS.admin).expect(200)) as { body: Overview };
      expect(body.workers.map((worker) => worker.workerId)).not.toContain('gone:1:dead');
      expect(body.unowned).toEqual(['projection:catalog']);
    } finally {
      await client.end();
    }
  });

  it('is for admins only', async () => {
    await get(TEST_KEYS.support).expect(403);
    await request(harness.app.getHttpServer()).get('/admin/workers').expect(401);
  });
});
