import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ProjectionStore, rebuildStateName } from '@ledgerline/projections';
import { eventually, postWebhook } from '@ledgerline/testing';
import { allProjectors, StripeObjectsProjector } from '@ledgerline/read-models';
import { type ApiTestApp, startApiTestApp, TEST_KEYS } from './api-test-app';

const SECRET = 'whsec_projections_admin_0123';
const ADMIN = `Bearer ${TEST_KEYS.admin}`;

describe('projection administration', () => {
  let harness: ApiTestApp;
  const server = () => harness.app.getHttpServer();
  const admin = (method: 'get' | 'post', path: string) => request(server())[method](path).set('Authorization', ADMIN);

  beforeAll(async () => {
    harness = await startApiTestApp({ STRIPE_WEBHOOK_SECRETS: SECRET, PROJECTION_STALL_SECONDS: '1' }, true);
    for (let i = 0; i < 30; i++) {
      const event = {
        id: `evt_admin_${i}`,
        object: 'event',
        type: 'customer.updated',
        created: 1_700_000_000 + i,
        data: { object: { id: `cus_admin_${i % 5}`, object: 'customer', balance: i } },
      };
      await postWebhook(server(), event, SECRET).expect(200);
    }
    await eventually(async () => {
      const projections: { lag: number }[] = (await admin('get', '/admin/projections')).body;
      return projections.length === allProjectors().length && projections.every((p) => p.lag === 0);
    }, 15_000);
  });
  afterAll(async () => harness.close());

  it('reports each projection’s position, head, lag in events and seconds, status and last error', async () => {
    const response = await admin('get', '/admin/projections').expect(200);
    expect(response.body.map((p: { name: string }) => p.name).sort()).toEqual(
      allProjectors()
        .map((p) => p.name)
        .sort(),
    );
    // Every projection is at the head, whether it read these events or filtered them out.
    for (const projection of response.body)
      expect(projection).toMatchObject({ headPosition: 30, lag: 0, status: 'running' });
    expect(response.body.find((p: { name: string }) => p.name === 'stripe_objects')).toEqual({
      name: 'stripe_objects',
      version: new StripeObjectsProjector().version,
      position: 30,
      headPosition: 30,
      lag: 0,
      lagSeconds: 0,
      status: 'running',
      lastError: null,
      lastErrorAt: null,
      parked: 0,
      stalled: false,
      stalledSeconds: 0,
    });
    const metrics = (await request(server()).get('/metrics')).text;
    expect(metrics).toMatch(/ledgerline_projection_lag_events\{projection="stripe_objects"[^}]*\} 0/);
    expect(metrics).toMatch(/ledgerline_projection_position\{projection="stripe_objects"[^}]*\} 30/);
    expect(metrics).toMatch(/ledgerline_projection_stalled\{projection="stripe_objects"[^}]*\} 0/);
  });

  it('reports a projection behind the head that has not moved for PROJECTION_STALL_SECONDS as stalled', async () => {
    // A state row no worker moves, left at position 5 an hour ago: the worker runs no projector of that name.
    const dataSource = harness.app.get(DataSource);
    const projections = new ProjectionStore(dataSource);
    await projections.register('stall_probe', 1);
    await dataSource.query(`UPDATE projections.projection_state SET position = 5 WHERE name = 'stall_probe'`);
    // Apart: moving the position sets advanced_at to now().
    await dataSource.query(
      `UPDATE projections.projection_state SET advanced_at = now() - interval '1 hour' WHERE name = 'stall_probe'`,
    );
    try {
      type Status = { name: string; lag: number; lagSeconds: number; stalled: boolean; stalledSeconds: number };
      let probe: Status | undefined;
      // Stalled once event 6, which it waits for, is older than the 1 s threshold.
      await eventually(
        async () =>
          (probe = (await admin('get', '/admin/projections').expect(200)).body.find(
            (p: Status) => p.name === 'stall_probe',
          ))!.stalled,
        10_000,
        'the probe reported stalled',
      );
      expect(probe).toMatchObject({ position: 5, lag: 25, stalled: true });
      expect(probe!.stalledSeconds).toBeGreaterThan(1);
      expect(probe!.stalledSeconds).toBe(probe!.lagSeconds);
      const metrics = (await request(server()).get('/metrics')).text;
      expect(metrics).toMatch(/ledgerline_projection_stalled\{projection="stall_probe"[^}]*\} 1/);
      expect(metrics).toMatch(/ledgerline_projection_stalled\{projection="stripe_objects"[^}]*\} 0/);
    } finally {
      await projections.remove('stall_probe');
    }
  });

  it('rebuilds without downtime, refuses a second rebuild while one is active, and reports it done', async () => {
    const before = (
      await admin('get', '/stripe-objects/cus_admin_3').set('Authorization', `Bearer ${TEST_KEYS.support}`)
    ).body;
    const started = await admin('post', '/admin/projections/stripe_objects/rebuild').expect(202);
    expect(started.body).toMatchObject({ projection: 'stripe_objects', status: 'requested' });
    const second = await admin('post', '/admin/projections/stripe_objects/rebuild');
    if (second.status !== 202) expect(second.status).toBe(409); // unless the first already finished
    // The current table keeps answering during the rebuild.
    await request(server())
      .get('/stripe-objects/cus_admin_3')
      .set('Authorization', `Bearer ${TEST_KEYS.support}`)
      .expect(200);
    await eventually(
      async () => (await admin('get', '/admin/rebuilds')).body.every((r: { status: string }) => r.status === 'done'),
      15_000,
      'the rebuild to finish',
    );
    const after = (
      await request(server()).get('/stripe-objects/cus_admin_3').set('Authorization', `Bearer ${TEST_KEYS.support}`)
    ).body;
    expect(after).toEqual(before);
    // Over: no progress any more.
    for (const rebuild of (await admin('get', '/admin/rebuilds')).body) expect(rebuild.progress).toBeNull();
  });

  it('reports a rebuild’s progress: its shadow’s position against the head', async () => {
    // A request the worker is carrying out, held still: filed as running (the worker claims only
    // requested ones) with its shadow's state row part of the way.
    const dataSource = harness.app.get(DataSource);
    const [row] = await dataSource.query(
      `INSERT INTO projections.rebuild_requests (projection, status, reason) VALUES ('customers', 'running', 'test') RETURNING id`,
    );
    const projections = new ProjectionStore(dataSource);
    await projections.register(rebuildStateName('customers'), 1);
    await dataSource.query(`UPDATE projections.projection_state SET position = 12 WHERE name = $1`, [
      rebuildStateName('customers'),
    ]);
    try {
      const [latest] = (await admin('get', '/admin/rebuilds').expect(200)).body;
      expect(latest).toMatchObject({
        id: Number(row.id),
        projection: 'customers',
        status: 'running',
        progress: { position: 12, headPosition: 30 },
      });
    } finally {
      await dataSource.query(`UPDATE projections.rebuild_requests SET status = 'cancelled' WHERE id = $1`, [row.id]);
      await projections.remove(rebuildStateName('customers'));
    }
    expect((await admin('get', '/admin/rebuilds')).body[0]).toMatchObject({ status: 'cancelled', progress: null });
  });

  it('answers 404 for unknown projections, rebuilds and parked events', async () => {
    await admin('post', '/admin/projections/nope/rebuild').expect(404);
    await admin('post', '/admin/projections/stripe_objects/rebuild/cancel').expect(404);
    await admin('post', '/admin/parked/stripe_objects/9999/retry').expect(404);
    await admin('post', '/admin/parked/stripe_objects/9999/skip').expect(404);
    expect((await admin('get', '/admin/parked').expect(200)).body).toEqual([]);
    await request(server()).get('/admin/projections').set('Authorization', `Bearer ${TEST_KEYS.support}`).expect(403);
  });
});
