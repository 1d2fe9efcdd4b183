import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { freePort } from '@ledgerline/database';
import {
  buildOnce,
  createTestDatabase,
  MAIN,
  type RunningProcess,
  startProcess,
  startUntil,
  stopProcess,
  type TestDatabase,
  WORKER_MAIN,
} from '@ledgerline/testing';

const ADMIN_KEY = 'logging-admin-key-0123456789';
const WEBHOOK_SECRET = 'whsec_loggingtest0123456789';
const SEARCH_TERM = 'secretsearchterm';

interface LogLine {
  level: string;
  time: string;
  msg: string;
  reqId?: string;
  req?: { method: string; path: string };
  res?: { statusCode: number };
  [key: string]: unknown;
}

/** Every non-empty line of a process's output, each parsed as JSON (fails naming the first that is not). */
function jsonLines(output: string): LogLine[] {
  return output
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as LogLine;
      } catch {
        throw new Error(`not a JSON line: ${line}`);
      }
    });
}

/**
 * The built api and worker as they run in production (stdout a pipe, not a terminal): JSON lines
 * only, the request id on each line about a request, and nothing users typed or secrets.
 */
describe('logs of the api and the worker processes', () => {
  let database: TestDatabase;
  let api: RunningProcess | undefined;
  let worker: RunningProcess | undefined;
  let base: string;
  const env = (): Record<string, string> => ({
    DATABASE_URL: database.url,
    API_KEYS: `admin:${ADMIN_KEY}`,
    STRIPE_WEBHOOK_SECRETS: WEBHOOK_SECRET,
    LOG_LEVEL: 'debug',
    LOG_FORMAT: '',
  });

  beforeAll(async () => {
    buildOnce();
    database = await createTestDatabase('logging');
    const port = await freePort();
    api = await startProcess({ ...env(), LEDGERLINE_PROCESSES: 'api' }, port);
    worker = await startUntil(WORKER_MAIN, env(), /worker running/);
    base = `http://127.0.0.1:${port}`;
  }, 300_000);
  afterAll(async () => {
    if (api) await stopProcess(api.child, 'SIGTERM');
    if (worker) await stopProcess(worker.child, 'SIGTERM');
    await database?.drop();
  });

  it('writes one JSON object a line with level, time and msg, the request id on request lines, and no secret', async () => {
    const authorization = { Authorization: `Bearer ${ADMIN_KEY}` };
    const sent = await fetch(`${base}/health/live`, { headers: { 'X-Request-Id': 'abc-123' } });
    const generated = await fetch(`${base}/health/ready`);
    const missing = await fetch(`${base}/no-such-route`);
    const search = await fetch(`${base}/customers?q=${SEARCH_TERM}`, { headers: authorization });
    const customer = await fetch(`${base}/customers/cus_logging1`, { headers: authorization });
    const webhook = await fetch(`${base}/webhooks/stripe`, {
      method: 'POST',
      headers: { 'X-Request-Id': 'hook-1', 'Content-Type': 'application/json', 'Stripe-Signature': 't=1,v1=00' },
      body: JSON.stringify({ id: 'evt_logging', object: 'event', type: 'customer.created' }),
    });
    expect([sent.status, generated.status, missing.status, search.status, customer.status, webhook.status]).toEqual([
      200, 200, 404, 200, 404, 400,
    ]);

    // The id sent comes back; the others are generated UUIDs, each returned.
    expect(sent.headers.get('x-request-id')).toBe('abc-123');
    expect(webhook.headers.get('x-request-id')).toBe('hook-1');
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    for (const response of [generated, missing, search, customer]) {
      expect(response.headers.get('x-request-id')).toMatch(uuid);
    }

    // Stop both, so their shutdown lines are among those checked.
    expect(await stopProcess(api!.child, 'SIGTERM')).toBe(0);
    expect(await stopProcess(worker!.child, 'SIGTERM')).toBe(0);
    const apiLines = jsonLines(api!.output());
    const workerLines = jsonLines(worker!.output());
    for (const line of [...apiLines, ...workerLines]) {
      expect(typeof line.level).toBe('string');
      expect(Number.isNaN(Date.parse(line.time))).toBe(false);
      expect(typeof line.msg).toBe('string');
    }
    // Nest's own lines, the process's own and those of worker code go through the same logger.
    expect(apiLines.map((line) => line.msg)).toEqual(
      expect.arrayContaining(['Starting Nest application...', 'SIGTERM received: shutting down', 'stopped']),
    );
    expect(apiLines.some((line) => line.msg.startsWith('listening on http://localhost:'))).toBe(true);
    expect(workerLines.some((line) => line.msg.startsWith('worker started (event store: postgres)'))).toBe(true);
    expect(workerLines.some((line) => line.context === 'Worker' && /^worker running/.test(line.msg))).toBe(true);

    // The access line of each request carries its id; so does what the webhook handler logs.
    const linesOf = (id: string | null) => apiLines.filter((line) => line.reqId === id);
    // Successes are logged at debug (this test runs at debug), 4xx at warn.
    expect(linesOf('abc-123')).toEqual([
      expect.objectContaining({
        level: 'debug',
        req: { method: 'GET', path: '/health/live' },
        res: { statusCode: 200 },
      }),
    ]);
    expect(linesOf(generated.headers.get('x-request-id'))).toEqual([
      expect.objectContaining({ req: { method: 'GET', path: '/health/ready' } }),
    ]);
    expect(linesOf(missing.headers.get('x-request-id'))).toEqual([
      expect.objectContaining({ level: 'warn', req: { method: 'GET', path: '/no-such-route' } }),
    ]);
    expect(linesOf(search.headers.get('x-request-id'))).toEqual([
      expect.objectContaining({
        level: 'debug',
        req: { method: 'GET', path: '/customers' },
        msg: expect.stringMatching(/^GET \/customers 200 in \d+ ms$/),
      }),
    ]);
    expect(linesOf('hook-1')).toEqual([
      expect.objectContaining({
        level: 'warn',
        context: 'StripeWebhook',
        msg: expect.stringContaining('rejected webhook (signature_mismatch)'),
      }),
      expect.objectContaining({
        level: 'warn',
        req: { method: 'POST', path: '/webhooks/stripe' },
        res: { statusCode: 400 },
      }),
    ]);

    // Nothing users typed, no key, no signing secret, no header.
    const everything = api!.output() + worker!.output();
    expect(everything).not.toContain(SEARCH_TERM);
    expect(everything).not.toContain(ADMIN_KEY);
    expect(everything).not.toContain('whsec_');
    expect(everything).not.toContain('t=1,v1=00');
    expect(everything.toLowerCase()).not.toContain('authorization');
  }, 120_000);
});

describe('LOG_LEVEL', () => {
  let database: TestDatabase;
  let api: RunningProcess | undefined;

  beforeAll(async () => {
    buildOnce();
    database = await createTestDatabase('log_level');
  }, 300_000);
  afterAll(async () => {
    if (api) await stopProcess(api.child, 'SIGKILL');
    await database?.drop();
  });

  it('warn: info lines are not written, warnings are', async () => {
    const port = await freePort();
    api = await startProcess({ DATABASE_URL: database.url, LEDGERLINE_PROCESSES: 'api', LOG_LEVEL: 'warn' }, port);
    await fetch(`http://127.0.0.1:${port}/no-such-route`, { headers: { 'X-Request-Id': 'warned-1' } });
    expect(await stopProcess(api.child, 'SIGTERM')).toBe(0);
    const lines = jsonLines(api.output());
    expect(lines.map((line) => line.level)).not.toContain('info');
    expect(lines).toEqual([expect.objectContaining({ level: 'warn', reqId: 'warned-1' })]);
  }, 120_000);
});

describe('a failed start', () => {
  beforeAll(() => buildOnce(), 300_000);

  it('is one fatal JSON line with the error and its stack in err', () => {
    const result = spawnSync('node', [MAIN], {
      env: { ...process.env, DATABASE_URL: 'postgres://ledgerline:secretpw@127.0.0.1:1/nowhere', LOG_FORMAT: '' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).toBe(1);
    const lines = jsonLines(result.stdout + result.stderr);
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'fatal',
        msg: 'failed to start: connect ECONNREFUSED 127.0.0.1:1',
        err: expect.objectContaining({ message: 'connect ECONNREFUSED 127.0.0.1:1', code: 'ECONNREFUSED' }),
      }),
    ]);
    expect((lines[0]!.err as { stack: string }).stack).toMatch(/^Error: connect ECONNREFUSED[\s\S]*\n {4}at /);
  }, 120_000);
});
