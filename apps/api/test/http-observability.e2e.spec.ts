import type { INestApplication } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { loadConfig } from '@ledgerline/config';
import { createProcessLogger } from '@ledgerline/observability';
import { EVENT_STORE_MIGRATIONS, READ_MODEL_MIGRATIONS } from '@ledgerline/runtime';
import { createTestDatabase, runMigrations, type TestDatabase } from '@ledgerline/testing';
import { createApiApp } from '../src/create-api-app';

const SUPPORT_KEY = 'observed-support-key-0123456789';

interface LogLine {
  level: string;
  msg: string;
  reqId?: string;
  context?: string;
  err?: { message: string; stack: string };
  res?: { statusCode: number };
}

/**
 * The api in process with a logger that keeps its lines (nestjs-pino keeps the first logger a
 * process gives it, so this file starts one app). Its request ids, the context of lines logged
 * while handling a request, and the request-duration histogram.
 */
describe('requests observed by the api', () => {
  let database: TestDatabase;
  let app: INestApplication;
  const lines: string[] = [];
  const logged = (): LogLine[] => lines.map((line) => JSON.parse(line) as LogLine);

  beforeAll(async () => {
    database = await createTestDatabase('observed');
    await runMigrations(database.url, [...EVENT_STORE_MIGRATIONS, ...READ_MODEL_MIGRATIONS]);
    const config = loadConfig({
      DATABASE_URL: database.url,
      API_KEYS: `support:${SUPPORT_KEY}`,
      STRIPE_WEBHOOK_SECRETS: 'whsec_observedtest0123456789',
      WORKER_PORT: 'off',
    });
    app = await createApiApp({
      config,
      databaseUrl: database.url,
      eventStore: { adapter: 'postgres', url: database.url },
      logger: createProcessLogger(
        'api',
        { level: 'debug', format: 'json' },
        { write: (line: string) => lines.push(line) },
      ),
    });
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('returns the X-Request-Id sent when valid, and a new one otherwise', async () => {
    const server = app.getHttpServer();
    expect((await request(server).get('/health/live').set('X-Request-Id', 'req-1')).headers['x-request-id']).toBe(
      'req-1',
    );
    for (const invalid of ['x'.repeat(129), 'has space']) {
      const id = (await request(server).get('/health/live').set('X-Request-Id', invalid)).headers['x-request-id'];
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
    }
    const webhook = await request(server).post('/webhooks/stripe').set('X-Request-Id', 'hook-2').send('{}');
    expect(webhook.status).toBe(400);
    expect(webhook.headers['x-request-id']).toBe('hook-2');
  });

  it('measures each request under its route pattern, never the raw URL', async () => {
    const server = app.getHttpServer();
    await request(server).get('/customers/cus_observed1').set('Authorization', `Bearer ${SUPPORT_KEY}`).expect(404);
    await request(server).get('/customers/cus_observed2').set('Authorization', `Bearer ${SUPPORT_KEY}`).expect(404);
    await request(server).get('/customers?q=typedbyuser').set('Authorization', `Bearer ${SUPPORT_KEY}`).expect(200);
    await request(server).get('/no/such/route/cus_observed3').expect(404);
    await request(server).post('/webhooks/stripe').send('{}').expect(400);

    const metrics = (await request(server).get('/metrics').expect(200)).text;
    // prom-client writes the default label (app) first: match the others wherever they are.
    const count = (method: string, route: string, status: string) =>
      metrics
        .split('\n')
        .filter((line) => line.startsWith('ledgerline_http_request_duration_seconds_count{'))
        .filter((line) =>
          [`method="${method}"`, `route="${route}"`, `status="${status}"`].every((l) => line.includes(l)),
        )
        .map((line) => Number(line.split(' ').pop()))
        .reduce((sum, n) => sum + n, 0);
    expect(metrics).toContain('# TYPE ledgerline_http_request_duration_seconds histogram');
    expect(count('GET', '/customers/:id', '404')).toBe(2);
    expect(count('GET', '/customers', '200')).toBe(1);
    expect(count('GET', 'unmatched', '404')).toBe(1);
    expect(count('POST', '/webhooks/stripe', '400')).toBeGreaterThanOrEqual(1);
    expect(count('GET', '/health/live', '200')).toBe(3);
    expect(metrics).toMatch(
      /^ledgerline_http_request_duration_seconds_bucket\{le="\+Inf",[^}]*route="\/customers\/:id",status="404"\} 2$/m,
    );
    expect(metrics).not.toMatch(/cus_observed|typedbyuser|\?q=/);
  });

  it('puts the request id on what is logged while handling a request, and an error line for a 500', async () => {
    const server = app.getHttpServer();
    await request(server).post('/webhooks/stripe').set('X-Request-Id', 'hook-3').send('{}').expect(400);
    expect(logged().filter((line) => line.reqId === 'hook-3')).toEqual([
      expect.objectContaining({ context: 'StripeWebhook', msg: expect.stringContaining('rejected webhook') }),
      expect.objectContaining({ level: 'warn', msg: expect.stringMatching(/^POST \/webhooks\/stripe 400 in \d+ ms$/) }),
    ]);

    // With the database gone, a read fails in Nest's pipeline: its error line carries the id too.
    await database.drop();
    await request(server)
      .get('/customers?q=typedbyuser')
      .set('Authorization', `Bearer ${SUPPORT_KEY}`)
      .set('X-Request-Id', 'broken-1')
      .expect(500);
    const failed = logged().filter((line) => line.reqId === 'broken-1');
    expect(failed).toEqual([
      expect.objectContaining({ level: 'error', context: 'ExceptionsHandler', err: expect.objectContaining({}) }),
      expect.objectContaining({
        level: 'error',
        msg: expect.stringMatching(/^GET \/customers 500 in \d+ ms$/),
        res: { statusCode: 500 },
      }),
    ]);
    expect(failed[1]!.err).toBeUndefined(); // Nest's line has the error; the access line repeats none
    expect(lines.join('')).not.toContain('typedbyuser');
  });
});
