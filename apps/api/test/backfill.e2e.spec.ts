import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { BackfillRun } from '@ledgerline/backfill';
import { eventually, startStripeServer, STRIPE_TEST_API_KEY, type StripeTestServer } from '@ledgerline/testing';
import { SMALL_ACCOUNT, stripeAccountObjects } from '../../../libs/backfill/src/testing/stripe-account.fixture';
import { type ApiTestApp, startApiTestApp, TEST_KEYS } from './api-test-app';

const admin = `Bearer ${TEST_KEYS.admin}`;

/**
 * Backfill over HTTP: an admin starts it, follows it and stops and resumes it; the worker's
 * projectors turn the backfilled events into the read models support staff read.
 */
describe('backfill (HTTP)', () => {
  let api: ApiTestApp;
  let stripeServer: StripeTestServer;
  const objects = stripeAccountObjects(SMALL_ACCOUNT, 'api');
  const http = () => request(api.app.getHttpServer());

  const settled = async (id: string): Promise<BackfillRun> => {
    let run: BackfillRun | undefined;
    await eventually(
      async () => {
        run = (await http().get(`/admin/backfill/${id}`).set('Authorization', admin).expect(200)).body as BackfillRun;
        return run.status !== 'running';
      },
      60_000,
      `backfill ${id} to end`,
    );
    return run!;
  };

  beforeAll(async () => {
    stripeServer = await startStripeServer();
    stripeServer.seedObjects(objects);
    api = await startApiTestApp(
      {
        STRIPE_API_KEY: STRIPE_TEST_API_KEY,
        STRIPE_API_BASE: stripeServer.url,
        BACKFILL_REQUESTS_PER_SECOND: '40',
        BACKFILL_PAGE_SIZE: '20',
      },
      true,
    );
  }, 60_000);
  afterAll(async () => {
    await api?.close();
    await stripeServer?.close();
  });

  it('refuses other roles and bad requests, naming what is wrong', async () => {
    await http().post('/admin/backfill').set('Authorization', `Bearer ${TEST_KEYS.support}`).send({}).expect(403);
    const bad = await http()
      .post('/admin/backfill')
      .set('Authorization', admin)
      .send({ objects: 'customers,widgets' })
      .expect(400);
    expect(bad.body.message).toEqual([expect.stringContaining('unknown object type "widgets"')]);
    const days = await http().post('/admin/backfill').set('Authorization', admin).send({ days: 0 }).expect(400);
    expect(days.body.message).toEqual(['days must be at least 1']);
    const account = await http().post('/admin/backfill').set('Authorization', admin).send({ account: 'x' }).expect(400);
    expect(account.body.message).toEqual(['account must be a Connect account id (acct_...) or "all"']);
    await http().get('/admin/backfill/not-a-uuid').set('Authorization', admin).expect(400);
    await http().get('/admin/backfill/00000000-0000-4000-8000-000000000000').set('Authorization', admin).expect(404);
  });

  it('imports the account in the background, refuses a second start while it runs, and feeds the read models', async () => {
    const started = await http().post('/admin/backfill').set('Authorization', admin).send({}).expect(202);
    expect(started.body).toMatchObject({
      status: 'running',
      resumed: false,
      requestedBy: 'admin-tester',
      kind: 'backfill',
    });
    const busy = await http().post('/admin/backfill').set('Authorization', admin).send({}).expect(409);
    expect(busy.body.message).toContain(`backfill run ${started.body.id} is already running`);

    const run = await settled(started.body.id);
    expect(run).toMatchObject({ status: 'done', error: null, etaSeconds: null });
    expect(run.totals).toEqual({ fetched: objects.length, appended: objects.length, unchanged: 0, failed: 0 });
    expect(run.progress.map((row) => row.object)).toEqual([
      'customers',
      'products',
      'prices',
      'plans',
      'coupons',
      'subscriptions',
      'invoices',
      'charges',
      'refunds',
      'disputes',
      'payment_methods',
      'balance_transactions',
    ]);
    expect(run.progress.every((row) => row.done && row.estimatedTotal === row.fetched)).toBe(true);

    // The customer record, its subscriptions and the raw snapshot, as support reads them.
    const customer = objects.find((object) => object.object === 'customer')!;
    const subscription = objects.find((object) => object.object === 'subscription' && object.customer === customer.id)!;
    const support = `Bearer ${TEST_KEYS.support}`;
    await eventually(
      async () => (await http().get(`/customers/${customer.id}`).set('Authorization', support)).status === 200,
      20_000,
    );
    const record = await http().get(`/customers/${customer.id}`).set('Authorization', support).expect(200);
    expect(record.body).toMatchObject({ stripeId: customer.id, email: customer.email });
    await eventually(async () => {
      const subs = await http().get(`/customers/${customer.id}/subscriptions`).set('Authorization', support);
      return JSON.stringify(subs.body).includes(String(subscription.id));
    }, 20_000);
    const snapshot = await http().get(`/stripe-objects/${customer.id}`).set('Authorization', support).expect(200);
    expect(snapshot.body).toMatchObject({ id: customer.id, object: 'customer', deleted: false });
    const trail = await http().get(`/streams/stripe_customer-${customer.id}`).set('Authorization', support).expect(200);
    expect(JSON.stringify(trail.body)).toContain('"source":"backfill"');

    const listed = await http().get('/admin/backfill').set('Authorization', admin).expect(200);
    expect(listed.body.data.map((r: BackfillRun) => r.id)).toContain(run.id);
  }, 90_000);

  it('stops a run at the next page when asked, and resumes it from there', async () => {
    stripeServer.seedObjects(stripeAccountObjects({ ...SMALL_ACCOUNT, customers: 200 }, 'more'));
    const started = await http()
      .post('/admin/backfill')
      .set('Authorization', admin)
      .send({ objects: ['customers'], days: 3650 })
      .expect(202);
    await http().post(`/admin/backfill/${started.body.id}/stop`).set('Authorization', admin).expect(202);
    const stopped = await settled(started.body.id);
    expect(stopped).toMatchObject({ status: 'stopped' });
    const fetchedAtStop = stopped.progress[0]!.fetched;
    expect(fetchedAtStop).toBeLessThan(310);

    await http().post(`/admin/backfill/${stopped.id}/stop`).set('Authorization', admin).expect(409);
    const resumed = await http().post(`/admin/backfill/${stopped.id}/resume`).set('Authorization', admin).expect(202);
    expect(resumed.body).toMatchObject({ id: stopped.id, resumed: true });
    const done = await settled(stopped.id);
    expect(done.status).toBe('done');
    // 110 customers from before plus 200 new ones; the first 110 were stored by the first run.
    expect(done.totals).toMatchObject({ fetched: 310, appended: 200, unchanged: 110 });
    await http().post(`/admin/backfill/${stopped.id}/resume`).set('Authorization', admin).expect(409);
  }, 90_000);
});
