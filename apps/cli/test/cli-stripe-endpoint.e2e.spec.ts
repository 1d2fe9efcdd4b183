import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Stripe from 'stripe';
import { LEDGERLINE_EVENT_TYPES } from '@ledgerline/stripe';
import { buildOnce, startStripeServer, STRIPE_TEST_API_KEY, type StripeTestServer } from '@ledgerline/testing';
import { CLI, type CliResult } from './cli-harness';

const URL = 'https://ledgerline.example.com/webhooks/stripe';
const SECRET = /whsec_\w+/g;
// Nothing listens there: a command that touched a database would fail, this one must not.
const NO_DATABASE = 'postgres://ledgerline@127.0.0.1:9/nothing';

/**
 * `ledgerline stripe-endpoint` against the Stripe test server: created once with the secret printed
 * once, then left alone, updated in place, replaced only when asked; no database involved.
 */
describe('ledgerline stripe-endpoint', () => {
  let server: StripeTestServer;
  let stripe: Stripe;
  let env: NodeJS.ProcessEnv;

  const cli = (args: string[], environment = env): Promise<CliResult> =>
    new Promise((resolve) => {
      execFile(
        'node',
        [CLI, 'stripe-endpoint', ...args],
        { env: environment, timeout: 60_000 },
        (error, stdout, stderr) =>
          resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
  /** The account's endpoints as Stripe holds them, without recording the look. */
  const endpoints = async (): Promise<Stripe.WebhookEndpoint[]> => {
    const recorded = server.requests();
    const all = (await stripe.webhookEndpoints.list({ limit: 100 })).data;
    expect(server.requests().length).toBe(recorded.length + 1);
    return all;
  };
  const writes = () => server.requests().filter((request) => request.method !== 'GET');

  beforeAll(async () => {
    buildOnce();
    server = await startStripeServer();
    stripe = server.stripe();
    env = {
      ...process.env,
      DATABASE_URL: NO_DATABASE,
      EVENT_STORE_URL: '',
      STRIPE_API_KEY: STRIPE_TEST_API_KEY,
      STRIPE_API_BASE: server.url,
    };
  }, 180_000);
  afterAll(async () => server?.close());

  it('refuses bad arguments with exit 64 before calling Stripe', async () => {
    // Every refusal is checked in command-usage.unit.spec.ts; this is the process's answer to one.
    const result = await cli(['--url', URL, '--colour', 'red']);
    expect(result.code).toBe(64);
    expect(result.stderr).toContain('ledgerline stripe-endpoint: unknown option --colour');
    expect(result.stderr).toContain('Usage: ledgerline stripe-endpoint --url');
    expect(server.requests()).toEqual([]);
  });

  it('says STRIPE_API_KEY is missing (exit 78) without calling anything', async () => {
    const { STRIPE_API_KEY: _key, ...withoutKey } = env;
    for (const args of [['--url', URL], ['--list']]) {
      const result = await cli(args, withoutKey);
      expect(result.code).toBe(78);
      expect(result.stderr).toContain('ledgerline stripe-endpoint: STRIPE_API_KEY is not set');
      expect(result.stdout).toBe('');
    }
    const refused = await cli(['--list'], { ...env, STRIPE_API_KEY: 'sk_live_0123456789abcdefABCDEF' });
    expect(refused.code).toBe(78);
    expect(refused.stderr).toContain('Stripe refused STRIPE_API_KEY');
    expect(server.requests().filter((request) => request.status !== 401)).toEqual([]);
  });

  let endpointId: string;

  it('creates the endpoint, printing its signing secret once on stdout only', async () => {
    server.reset();
    const result = await cli(['--url', URL]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      new RegExp(
        `^created webhook endpoint we_\\w+ for ${URL} \\(${LEDGERLINE_EVENT_TYPES.length} event types, API version ${Stripe.API_VERSION}\\)\n`,
      ),
    );
    expect(result.stdout.match(SECRET)).toHaveLength(1);
    expect(result.stdout).toContain('Add it to STRIPE_WEBHOOK_SECRETS');
    expect(result.stderr).not.toMatch(SECRET);
    expect(writes().map((request) => `${request.method} ${request.path}`)).toEqual(['POST /v1/webhook_endpoints']);

    const [endpoint, ...others] = await endpoints();
    expect(others).toEqual([]);
    expect(endpoint).toMatchObject({
      url: URL,
      api_version: Stripe.API_VERSION,
      status: 'enabled',
      metadata: { managed_by: 'ledgerline' },
    });
    expect([...endpoint!.enabled_events].sort()).toEqual([...LEDGERLINE_EVENT_TYPES].sort());
    expect(result.stdout).toContain(endpoint!.id);
    endpointId = endpoint!.id;
  });

  it('changes nothing when run again, and says so', async () => {
    server.reset();
    const result = await cli(['--url', URL]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      `webhook endpoint ${endpointId} for ${URL} is up to date (${LEDGERLINE_EVENT_TYPES.length} event types, API version ${Stripe.API_VERSION}): nothing changed\n`,
    );
    expect(result.stderr).toBe('');
    expect(writes()).toEqual([]);
    expect((await endpoints()).map((endpoint) => endpoint.id)).toEqual([endpointId]);
  });

  it('updates the same endpoint in place when its events or status differ, never printing a secret', async () => {
    server.reset();
    const all = await cli(['--url', URL, '--events', 'all']);
    expect(all.code).toBe(0);
    expect(all.stdout).toContain(`updated webhook endpoint ${endpointId} for ${URL} (all events,`);
    expect(all.stdout).toContain(`enabled events: 1 added (*), ${LEDGERLINE_EVENT_TYPES.length} removed`);
    expect(all.stdout).toContain('its signing secret is unchanged');
    expect(all.stdout).not.toMatch(SECRET);
    expect(writes().map((request) => `${request.method} ${request.path}`)).toEqual([
      `POST /v1/webhook_endpoints/${endpointId}`,
    ]);
    expect(await endpoints()).toEqual([expect.objectContaining({ id: endpointId, enabled_events: ['*'] })]);

    // Someone edits it in the Dashboard: fewer events, disabled, the marker gone.
    await stripe.webhookEndpoints.update(endpointId, {
      enabled_events: ['customer.created', 'account.updated'],
      disabled: true,
      metadata: { managed_by: '' },
    });
    server.reset();
    const back = await cli(['--url', URL, '--events', 'needed']);
    expect(back.code).toBe(0);
    expect(back.stdout).toContain(`updated webhook endpoint ${endpointId}`);
    expect(back.stdout).toContain(`enabled events: ${LEDGERLINE_EVENT_TYPES.length - 1} added`);
    expect(back.stdout).toContain('1 removed (account.updated)');
    expect(back.stdout).toContain('status: disabled → enabled');
    expect(back.stdout).toContain('metadata: marked managed_by=ledgerline');
    const [endpoint, ...others] = await endpoints();
    expect(others).toEqual([]);
    expect(endpoint).toMatchObject({ id: endpointId, status: 'enabled', metadata: { managed_by: 'ledgerline' } });
    expect([...endpoint!.enabled_events].sort()).toEqual([...LEDGERLINE_EVENT_TYPES].sort());
    expect((await cli(['--url', URL])).stdout).toContain('nothing changed');
  });

  it("lists the account's endpoints, Ledgerline's marked, without a secret", async () => {
    const foreign = await stripe.webhookEndpoints.create({
      url: 'https://crm.example.com/hooks',
      enabled_events: ['customer.created'],
    });
    const table = await cli(['--list']);
    expect(table.code).toBe(0);
    expect(table.stdout).not.toMatch(SECRET);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      new RegExp(
        `^${endpointId}  enabled  ${LEDGERLINE_EVENT_TYPES.length} event types  ${Stripe.API_VERSION.replace('.', '\\.')}  ledgerline  ${URL}$`,
      ),
    );
    expect(lines[1]).toMatch(
      new RegExp(`^${foreign.id}  enabled  1 event type +account default +- +https://crm\\.example\\.com/hooks$`),
    );

    const json = await cli(['--list', '--json']);
    expect(json.code).toBe(0);
    expect(json.stdout).not.toMatch(/whsec_|secret/);
    expect(JSON.parse(json.stdout)).toEqual([
      expect.objectContaining({ id: endpointId, url: URL, ledgerline: true, apiVersion: Stripe.API_VERSION }),
      expect.objectContaining({
        id: foreign.id,
        ledgerline: false,
        apiVersion: null,
        enabledEvents: ['customer.created'],
      }),
    ]);
    await stripe.webhookEndpoints.del(foreign.id);
  });

  it('leaves an endpoint of another API version as it is, and replaces it only with --recreate', async () => {
    const url = 'https://old.example.com/webhooks/stripe';
    const old = await stripe.webhookEndpoints.create({ url, enabled_events: ['*'], api_version: '2024-06-20' });
    server.reset();
    const refused = await cli(['--url', url]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`webhook endpoint ${old.id} for ${url} sends events in API version 2024-06-20`);
    expect(refused.stderr).toContain('run again with --recreate');
    expect(refused.stdout).toBe('');
    expect(writes()).toEqual([]);

    const recreated = await cli(['--url', url, '--recreate']);
    expect(recreated.code).toBe(0);
    expect(recreated.stdout).toContain(`to replace ${old.id}:`);
    expect(recreated.stdout).toContain(`API version: 2024-06-20 → ${Stripe.API_VERSION}`);
    expect(recreated.stdout.match(SECRET)).toHaveLength(1);
    expect(writes().map((request) => `${request.method} ${request.path}`)).toEqual([
      'POST /v1/webhook_endpoints',
      `DELETE /v1/webhook_endpoints/${old.id}`,
    ]);
    const replacement = (await endpoints()).filter((endpoint) => endpoint.url === url);
    expect(replacement).toEqual([expect.objectContaining({ api_version: Stripe.API_VERSION })]);
    expect(replacement[0]!.id).not.toBe(old.id);
    const again = await cli(['--url', url, '--recreate']);
    expect(again.stdout).toContain('nothing changed');
  });

  it("reports Stripe's refusal (exit 1) and a Stripe that keeps failing (exit 75)", async () => {
    const local = await cli(['--url', 'http://localhost:3000/webhooks/stripe']);
    expect(local.code).toBe(1);
    expect(local.stderr).toContain(
      'ledgerline stripe-endpoint: Stripe answered 400: Invalid URL: URL must be publicly accessible',
    );

    server.failNext({ method: 'GET', path: '/v1/webhook_endpoints', status: 503, times: 3 });
    const down = await cli(['--list']);
    expect(down.code).toBe(75);
    expect(down.stderr).toContain('Stripe answered 503');
    expect(down.stderr).toContain('(try again)');
  });
});
