import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client } from 'pg';
import { freePort } from '@ledgerline/database';
import {
  buildOnce,
  createTestDatabase,
  eventually,
  postWebhookTo,
  type RunningProcess,
  startProcess,
  stopProcess,
  type TestDatabase,
} from '@ledgerline/testing';

const tag = randomBytes(4).toString('hex');
const DB_USER = `ll_logs_${tag}`;
const DB_PASSWORD = `dbpw-planted-${tag}`;
const SUPPORT_KEY = `support-planted-key-${tag}-0123`;
const ADMIN_KEY = `admin-planted-key-${tag}-012345`;
const WRONG_KEY = `wrong-planted-key-${tag}-0123456`;
const WEBHOOK_SECRET = `whsec_planted${tag}0123456789`;
const CARDS = ['4000056655665556', '4242424242424242', '5555555555554444'];
const EMAILS = [
  `planted.person.${tag}@example.com`,
  `changed.person.${tag}@example.com`,
  `refused.person.${tag}@example.org`,
  `stripe.customer.${tag}@example.net`,
];
const SEARCH_TERM = `searchterm${tag}`;

interface LogLine {
  level: string;
  msg: string;
  reqId?: string;
  context?: string;
  err?: Record<string, unknown>;
  [key: string]: unknown;
}

/**
 * Secrets and what users type never reach the logs, whatever happens: the api (with its worker)
 * runs as in production, at LOG_LEVEL=debug so the most is written, with a database password, API
 * keys and a webhook secret in its configuration; card numbers and emails go in through command
 * bodies (accepted and refused), searches (found, refused for a NUL, and failing in PostgreSQL)
 * and signed webhooks. Then every line the process wrote is searched for each of them.
 */
describe('no secret and no user input in the logs', () => {
  let database: TestDatabase;
  let databaseUrl: string;
  let api: RunningProcess | undefined;
  let base: string;

  const admin = async <T>(url: string, work: (client: Client) => Promise<T>): Promise<T> => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    buildOnce();
    database = await createTestDatabase('no_secrets');
    // A role of its own, so that the password in DATABASE_URL is one only this test knows.
    await admin(process.env.LEDGERLINE_TEST_ADMIN_URL!, (client) =>
      client.query(`CREATE ROLE ${DB_USER} LOGIN SUPERUSER PASSWORD '${DB_PASSWORD}'`),
    );
    const url = new URL(database.url);
    url.username = DB_USER;
    url.password = DB_PASSWORD;
    databaseUrl = url.toString();
    const port = await freePort();
    api = await startProcess(
      {
        DATABASE_URL: databaseUrl,
        API_KEYS: `support:support-planted:${SUPPORT_KEY},admin:${ADMIN_KEY}`,
        STRIPE_WEBHOOK_SECRETS: WEBHOOK_SECRET,
        LOG_LEVEL: 'debug',
        LOG_FORMAT: '',
        LEDGERLINE_PROCESSES: 'api,worker',
      },
      port,
    );
    base = `http://127.0.0.1:${port}`;
  }, 300_000);
  afterAll(async () => {
    if (api) await stopProcess(api.child, 'SIGKILL');
    await database?.drop();
    await admin(process.env.LEDGERLINE_TEST_ADMIN_URL!, (client) => client.query(`DROP ROLE IF EXISTS ${DB_USER}`));
  });

  const call = (path: string, init: RequestInit & { key?: string | null; json?: unknown } = {}) => {
    const { key = SUPPORT_KEY, json, headers, ...rest } = init;
    return fetch(`${base}${path}`, {
      ...rest,
      headers: {
        ...(key ? { Authorization: `Bearer ${key}` } : {}),
        ...(json === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...(headers as Record<string, string> | undefined),
      },
      ...(json === undefined ? {} : { body: typeof json === 'string' ? json : JSON.stringify(json) }),
    });
  };

  it('writes none of them, and logs a failing query by its class, SQLSTATE and request id', async () => {
    const statuses: Record<string, number> = {};
    const record = async (name: string, response: Promise<Response>): Promise<unknown> => {
      const answered = await response;
      statuses[name] = answered.status;
      const text = await answered.text();
      return text ? JSON.parse(text) : null;
    };

    // Commands: accepted, refused by validation, refused at the edge, refused for want of a key.
    const created = (await record(
      'register',
      call('/customers', {
        method: 'POST',
        json: { firstName: 'Planted', lastName: SEARCH_TERM, email: EMAILS[0], phone: CARDS[1] },
      }),
    )) as { id: string };
    await record('change', call(`/customers/${created.id}`, { method: 'PATCH', json: { email: EMAILS[1] } }));
    await record(
      'refused: NUL',
      call('/customers', {
        method: 'POST',
        json: { firstName: `Card ${CARDS[0]}\u0000`, lastName: 'x', email: EMAILS[2] },
      }),
    );
    await record(
      'refused: email',
      call('/customers', {
        method: 'POST',
        json: { firstName: 'A', lastName: 'B', email: `${CARDS[0]} ${EMAILS[2]}` },
      }),
    );
    await record(
      'refused: deep',
      call('/customers', {
        method: 'POST',
        json: `{"firstName":"${CARDS[2]}","x":${'['.repeat(100)}${']'.repeat(100)}}`,
      }),
    );
    await record(
      'no key',
      call('/customers', { method: 'POST', key: null, json: { firstName: CARDS[0], lastName: EMAILS[2] } }),
    );
    await record('wrong key', call('/customers', { method: 'POST', key: WRONG_KEY, json: '{"firstName":' }));

    // Searches: found, refused at the edge (a NUL: before, the failing query was logged with it).
    await record('search: card', call(`/customers?q=${CARDS[0]}`));
    await record('search: email', call(`/subscriptions?q=${encodeURIComponent(EMAILS[0])}`));
    await record('search: NUL', call(`/customers?q=${CARDS[0]}%00`));
    await record('search: NUL, subscriptions', call(`/subscriptions?q=${CARDS[1]}%00`));
    // Typed where an id goes: the access lines (404) show the path without them.
    await record('email as an id', call(`/customers/${encodeURIComponent(EMAILS[0])}`));
    await record('card as an id', call(`/payments/${CARDS[1]}/refund`, { method: 'POST', json: {} }));

    // Signed webhooks carrying an email and a card number, and one badly signed.
    const event = (id: string, type: string, object: object) => ({
      id,
      object: 'event',
      type,
      api_version: '2026-10-28.endive',
      created: Math.floor(Date.now() / 1000),
      livemode: false,
      data: { object },
    });
    const stripeCustomer = {
      id: `cus_logs${tag}`,
      object: 'customer',
      email: EMAILS[3],
      name: `Card ${CARDS[2]}`,
      created: 1_700_000_000,
    };
    const charge = {
      id: `ch_logs${tag}`,
      object: 'charge',
      amount: 1000,
      amount_captured: 1000,
      amount_refunded: 0,
      currency: 'usd',
      status: 'succeeded',
      paid: true,
      customer: stripeCustomer.id,
      description: `card ${CARDS[1]}`,
      billing_details: { email: EMAILS[3], name: null, phone: null, address: null },
      created: 1_700_000_000,
    };
    await record(
      'webhook: customer',
      postWebhookTo(base, event(`evt_logs1${tag}`, 'customer.created', stripeCustomer), WEBHOOK_SECRET),
    );
    await record(
      'webhook: charge',
      postWebhookTo(base, event(`evt_logs2${tag}`, 'charge.succeeded', charge), WEBHOOK_SECRET),
    );
    await record(
      'webhook: bad signature',
      postWebhookTo(base, event(`evt_logs3${tag}`, 'charge.succeeded', charge), 'whsec_not_the_secret'),
    );

    expect(statuses).toEqual({
      register: 201,
      change: 200,
      'refused: NUL': 400,
      'refused: email': 400,
      'refused: deep': 400,
      'no key': 401,
      'wrong key': 401,
      'search: card': 200,
      'search: email': 200,
      'search: NUL': 400,
      'search: NUL, subscriptions': 400,
      'email as an id': 404,
      'card as an id': 404,
      'webhook: customer': 200,
      'webhook: charge': 200,
      'webhook: bad signature': 400,
    });

    // The worker projects all of it (its lines are checked too).
    await eventually(
      async () => {
        const response = await call('/admin/projections', { key: ADMIN_KEY });
        const projections = (await response.json()) as { lag: number }[];
        return projections.length > 1 && projections.every((projection) => projection.lag === 0);
      },
      30_000,
      'the projections to catch up',
    );

    // A query that fails in PostgreSQL, with the search in its parameters: the table is hidden.
    await admin(databaseUrl, (client) => client.query('ALTER TABLE customers RENAME TO customers_hidden'));
    try {
      const failing = await call(`/customers?q=${CARDS[0]}`, { headers: { 'X-Request-Id': 'failing-search' } });
      expect(failing.status).toBe(500);
      expect(await failing.json()).toEqual({ statusCode: 500, message: 'Internal server error' });
      // Paths are logged (the access line's `req.path`): ids, not what users search for.
      const find = await call(`/customers/${created.id}`, { headers: { 'X-Request-Id': 'failing-find' } });
      expect(find.status).toBe(500);
    } finally {
      await admin(databaseUrl, (client) => client.query('ALTER TABLE customers_hidden RENAME TO customers'));
    }

    expect(await stopProcess(api!.child, 'SIGTERM')).toBe(0);
    const output = api!.output();
    const lines = output
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as LogLine);

    const planted = {
      'database password': DB_PASSWORD,
      'support key': SUPPORT_KEY,
      'admin key': ADMIN_KEY,
      'wrong key': WRONG_KEY,
      'webhook secret': WEBHOOK_SECRET,
      'search term': SEARCH_TERM,
      ...Object.fromEntries(CARDS.map((card) => [`card ${card}`, card])),
      ...Object.fromEntries(EMAILS.map((email) => [`email ${email}`, email])),
    };
    const found = Object.entries(planted)
      .filter(([, secret]) => output.includes(secret) || output.includes(encodeURIComponent(secret)))
      .map(([name, secret]) => `${name}, e.g. in: ${output.split('\n').find((line) => line.includes(secret))}`);
    expect(found).toEqual([]);
    expect(output).not.toContain('whsec_');

    // The failing query: one error line with the class, the SQLSTATE and the request id.
    const failed = lines.filter((line) => line.reqId === 'failing-search' && line.level === 'error');
    expect(failed).toEqual([
      expect.objectContaining({
        context: 'ExceptionsHandler',
        err: expect.objectContaining({ type: 'QueryFailedError', code: '42P01' }),
      }),
      expect.objectContaining({ req: { method: 'GET', path: '/customers' }, res: { statusCode: 500 } }),
    ]);
    expect(failed[0]!.msg).toMatch(/^Internal Server Error: SQLSTATE 42P01 undefined_table/);
    expect(failed[0]!.err).not.toHaveProperty('parameters');
    expect(lines.some((line) => line.reqId === 'failing-find' && line.context === 'ExceptionsHandler')).toBe(true);
  }, 180_000);
});
