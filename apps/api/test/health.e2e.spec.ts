import { afterEach, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { type ApiTestApp, startApiTestApp } from './api-test-app';

describe('GET /health', () => {
  let harness: ApiTestApp | undefined;
  afterEach(async () => harness?.close());

  it('answers 200 with the database and the event store up, naming the adapter', async () => {
    harness = await startApiTestApp();
    const response = await request(harness.app.getHttpServer()).get('/health').expect(200);
    expect(response.body).toEqual({
      status: 'ok',
      database: { status: 'up' },
      eventStore: { status: 'up', adapter: 'postgres', headPosition: 0 },
    });
  });

  it('answers 503 naming what is down when the database goes away', async () => {
    harness = await startApiTestApp();
    await harness.database.drop();
    const response = await request(harness.app.getHttpServer()).get('/health').expect(503);
    expect(response.body.status).toBe('unavailable');
    expect(response.body.database.status).toBe('down');
    expect(response.body.eventStore).toMatchObject({ status: 'down', adapter: 'postgres' });
  });
});

describe('GET /health/live and /health/ready', () => {
  let harness: ApiTestApp | undefined;
  afterEach(async () => harness?.close());

  it('both answer 200 without a key while the databases answer', async () => {
    harness = await startApiTestApp();
    const server = harness.app.getHttpServer();
    expect((await request(server).get('/health/live').expect(200)).body).toEqual({ status: 'ok' });
    expect((await request(server).get('/health/ready').expect(200)).body).toEqual({
      status: 'ready',
      database: 'up',
      eventStore: 'up',
    });
  });

  it('ready answers 503 when the database goes away; live still answers 200', async () => {
    harness = await startApiTestApp();
    const server = harness.app.getHttpServer();
    await harness.database.drop();
    expect((await request(server).get('/health/ready').expect(503)).body).toEqual({
      status: 'unavailable',
      database: 'down',
      eventStore: 'down',
    });
    expect((await request(server).get('/health/live').expect(200)).body).toEqual({ status: 'ok' });
  });
});

describe('GET /health with EventStoreDB selected', () => {
  let harness: ApiTestApp | undefined;
  afterEach(async () => harness?.close());

  it('answers 503 naming the eventstoredb adapter when no server answers', async () => {
    harness = await startApiTestApp({ EVENT_STORE_URL: 'esdb://127.0.0.1:1?tls=false' });
    const response = await request(harness.app.getHttpServer()).get('/health').expect(503);
    expect(response.body.database).toEqual({ status: 'up' });
    expect(response.body.eventStore).toMatchObject({ status: 'down', adapter: 'eventstoredb' });
    expect(typeof response.body.eventStore.error).toBe('string');
    // The event store alone down is enough for readiness to fail.
    const ready = await request(harness.app.getHttpServer()).get('/health/ready').expect(503);
    expect(ready.body).toEqual({ status: 'unavailable', database: 'up', eventStore: 'down' });
  }, 30_000);
});

describe('GET /metrics', () => {
  let harness: ApiTestApp | undefined;
  afterEach(async () => harness?.close());

  it('serves Prometheus text without a key', async () => {
    harness = await startApiTestApp();
    const response = await request(harness.app.getHttpServer()).get('/metrics').expect(200);
    expect(response.headers['content-type']).toContain('text/plain');
    expect(response.text).toContain('ledgerline_process_cpu_seconds_total');
  });
});
