import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { EVENT_STORE, type EventStore } from '@ledgerline/event-store';
import {
  eventually,
  postWebhook,
  startStripeServer,
  STRIPE_TEST_API_KEY,
  type StripeTestServer,
} from '@ledgerline/testing';
import { seedMoneyScenario } from '../../../libs/reconciliation/src/testing/money-scenario.seed';
import { type ApiTestApp, startApiTestApp, TEST_KEYS } from './api-test-app';

const SECRET = 'whsec_reconciliation_test_0123456789';
const finance = `Bearer ${TEST_KEYS.finance}`;

interface Run {
  id: string;
  status: string;
  requestedBy: string;
  position: string | null;
  findings: number | null;
  findingsByKind: Record<string, number> | null;
  report: {
    position: string;
    balanceTransactions: { source: string; count: number };
    readModels: { checked: boolean };
    ledger: { day: string; currency: string; account: string | null; grossCharges: number; net: number }[];
    findings: { kind: string; stripeIds: string[]; eventIds: string[] }[];
  } | null;
}

/**
 * Finance's reconciliation through HTTP: Stripe's events arrive as signed webhooks, the worker
 * builds the read models, Stripe's balance is listed through the SDK from the local Stripe server,
 * and runs are started, followed and read as JSON and CSV.
 */
describe('reconciliation runs (HTTP)', () => {
  let api: ApiTestApp;
  let store: EventStore;
  let stripeServer: StripeTestServer;
  const http = () => request(api.app.getHttpServer());

  const finished = async (id: string): Promise<Run> => {
    let run: Run | undefined;
    await eventually(
      async () => {
        run = (await http().get(`/reconciliation/runs/${id}`).set('Authorization', finance).expect(200)).body as Run;
        return run.status !== 'running';
      },
      30_000,
      `run ${id} to finish`,
    );
    return run!;
  };
  const startRun = async (body: object) => {
    const started = await http().post('/reconciliation/runs').set('Authorization', finance).send(body).expect(202);
    expect(started.body).toMatchObject({
      status: expect.stringMatching(/running|done/),
      requestedBy: 'finance-tester',
    });
    return finished((started.body as Run).id);
  };

  beforeAll(async () => {
    stripeServer = await startStripeServer();
    api = await startApiTestApp(
      {
        STRIPE_WEBHOOK_SECRETS: SECRET,
        STRIPE_API_KEY: STRIPE_TEST_API_KEY,
        STRIPE_API_BASE: stripeServer.url,
        STRIPE_SYNC_MAX_ATTEMPTS: '1',
      },
      true,
    );
    store = api.app.get(EVENT_STORE);
    await seedMoneyScenario(store, stripeServer, async (payloads) => {
      for (const payload of payloads) await postWebhook(api.app.getHttpServer(), payload, SECRET).expect(200);
    });
    const dataSource = api.app.get(DataSource);
    const head = (await store.headPosition()).toString();
    await eventually(
      async () =>
        (
          await dataSource.query(
            `SELECT 1 FROM projections.projection_state WHERE name IN ('payments', 'invoices') AND position >= $1`,
            [head],
          )
        ).length === 2,
      20_000,
      'the payments and invoices read models to catch up',
    );
    // A projection bug: the charges read model lost 100 of one charge.
    await dataSource.query(`UPDATE charges SET amount_captured = amount_captured - 100 WHERE id = 'ch_rm'`);
  }, 60_000);
  afterAll(async () => {
    await api?.close();
    await stripeServer?.close();
  });

  it('reconciles a clean day: the ledger from the events, no finding', async () => {
    const run = await startRun({ from: '2026-01-01', to: '2026-01-02' });
    expect(run.status).toBe('done');
    expect(run.findings).toBe(0);
    expect(run.report!.balanceTransactions).toEqual({ source: 'stripe_api', count: 6 });
    expect(run.report!.readModels.checked).toBe(true);
    expect(run.report!.ledger.map((l) => [l.day, l.currency, l.account, l.grossCharges, l.net])).toEqual([
      ['2026-01-01', 'eur', null, 8000, 1708],
      ['2026-01-01', 'eur', 'acct_scenario', 2500, 2400],
    ]);
    expect(stripeServer.requests({ method: 'GET', path: '/v1/balance_transactions' }).length).toBeGreaterThanOrEqual(2);
  });

  it('finds every kind of discrepancy of the day that holds them, and the report is the same twice, in JSON and CSV', async () => {
    const first = await startRun({ from: '2026-01-02T00:00:00Z', to: '2026-01-03T00:00:00Z' });
    expect(first.report!.findings.map((f) => f.kind)).toEqual([
      'amount_differs',
      'counted_twice',
      'currency_differs',
      'missing_in_events',
      'missing_in_stripe',
      'paid_invoice_without_payment',
      'payment_without_invoice',
      'platform_refund_amount_differs',
      'platform_refund_not_in_stripe',
      'read_model_differs',
      'stripe_refund_not_in_events',
    ]);
    const [charged] = await store.readStream('stripe_charge-ch_amount');
    expect(first.report!.findings[0]).toMatchObject({
      stripeIds: ['ch_amount', 'txn_amount'],
      eventIds: [charged!.id],
    });
    expect(first.position).toBe(first.report!.position);

    const second = await startRun({ from: '2026-01-02T00:00:00Z', to: '2026-01-03T00:00:00Z' });
    expect(second.id).not.toBe(first.id);
    expect(JSON.stringify(second.report)).toBe(JSON.stringify(first.report));

    const csv = async (id: string) => {
      const response = await http()
        .get(`/reconciliation/runs/${id}`)
        .set('Authorization', finance)
        .set('Accept', 'text/csv')
        .buffer(true)
        .parse((res, done) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
          res.on('end', () => done(null, text));
        })
        .expect(200);
      expect(response.headers['content-type']).toMatch(/^text\/csv/);
      expect(response.headers['content-disposition']).toContain(`reconciliation-2026-01-02-2026-01-03-${id}.csv`);
      return response.body as string;
    };
    const firstCsv = await csv(first.id);
    expect(await csv(second.id)).toBe(firstCsv);
    // The same CSV by its own path, whatever the client accepts (a download button cannot choose).
    const byPath = await http()
      .get(`/reconciliation/runs/${first.id}/report.csv`)
      .set('Authorization', finance)
      .set('Accept', 'application/json')
      .expect(200);
    expect(byPath.headers['content-type']).toMatch(/^text\/csv/);
    expect(byPath.headers['content-disposition']).toContain(`reconciliation-2026-01-02-2026-01-03-${first.id}.csv`);
    expect(byPath.text).toBe(firstCsv);
    expect((await http().get(`/reconciliation/runs/${first.id}`).set('Authorization', finance)).body.links).toEqual({
      self: `/reconciliation/runs/${first.id}`,
      csv: `/reconciliation/runs/${first.id}/report.csv`,
    });
    const rows = firstCsv.trimEnd().split('\r\n');
    expect(rows[1]).toContain(`position ${first.report!.position}`);
    expect(
      rows.filter((row) => row.startsWith('finding,read_model_differs') || row.includes(',read_model_differs,')),
    ).toHaveLength(1);

    const listed = (await http().get('/reconciliation/runs?limit=2').set('Authorization', finance).expect(200))
      .body as {
      data: Run[];
      next: string | null;
    };
    expect(listed.data.map((r) => r.id)).toEqual([second.id, first.id]);
    // The list carries each run's counts by kind (the report's summary), one of each kind here.
    expect(listed.data[0]!.findingsByKind).toEqual(
      Object.fromEntries(first.report!.findings.map((finding) => [finding.kind, 1])),
    );
    expect(listed.next).toBe(first.id);
    const older = (
      await http().get(`/reconciliation/runs?before=${listed.next}`).set('Authorization', finance).expect(200)
    ).body as { data: Run[] };
    expect(older.data).toHaveLength(1);
  });

  it('refuses what finance did not ask for clearly, and callers without the finance role', async () => {
    const post = (body: object) => http().post('/reconciliation/runs').set('Authorization', finance).send(body);
    expect((await post({ from: '2026-01-03', to: '2026-01-02' }).expect(400)).body.message).toEqual([
      'to (2026-01-02) must be after from (2026-01-03)',
    ]);
    expect(JSON.stringify((await post({ from: 'yesterday', to: '2026-01-02' }).expect(400)).body.message)).toContain(
      'from must be an ISO 8601',
    );
    expect(
      JSON.stringify((await post({ from: '2026-01-01', to: '2026-01-02', currency: 'EURO' }).expect(400)).body.message),
    ).toContain('currency must be');
    // Every problem in one answer: the period's order with the other fields'.
    expect((await post({ from: '2026-01-03', to: '2026-01-02', currency: 'EURO' }).expect(400)).body.message).toEqual([
      'to (2026-01-02) must be after from (2026-01-03)',
      'currency must be a three-letter ISO currency code (eur, usd)',
    ]);
    expect(
      JSON.stringify((await post({ from: '2026-01-01', to: '2026-01-02', account: 'cus_1' }).expect(400)).body.message),
    ).toContain('account must be');
    await post({ from: '2026-01-01', to: '2026-01-02', extra: 1 }).expect(400);
    // A time without a zone would be read in the server's zone: refused, as the CLI refuses it.
    expect(
      JSON.stringify((await post({ from: '2026-01-01T00:00:00', to: '2026-01-02' }).expect(400)).body.message),
    ).toContain('from needs an ISO 8601 date or time with a zone');
    await http()
      .post('/reconciliation/runs')
      .set('Authorization', `Bearer ${TEST_KEYS.support}`)
      .send({ from: '2026-01-01', to: '2026-01-02' })
      .expect(403);
    await http().get('/reconciliation/runs').set('Authorization', `Bearer ${TEST_KEYS.support}`).expect(403);
    await http()
      .get('/reconciliation/runs/00000000-0000-4000-8000-000000000000')
      .set('Authorization', finance)
      .expect(404);
    await http().get('/reconciliation/runs/not-a-run').set('Authorization', finance).expect(400);
    await http().get('/reconciliation/runs/not-a-run/report.csv').set('Authorization', finance).expect(400);
    await http()
      .get('/reconciliation/runs/00000000-0000-4000-8000-000000000000/report.csv')
      .set('Authorization', finance)
      .expect(404);
    await http()
      .get('/reconciliation/runs/00000000-0000-4000-8000-000000000000/report.csv')
      .set('Authorization', `Bearer ${TEST_KEYS.support}`)
      .expect(403);
  });
});
