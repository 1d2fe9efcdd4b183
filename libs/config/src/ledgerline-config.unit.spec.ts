import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from './ledgerline-config';
import { problemsOf } from './testing/config-problems';

describe('loadConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    expect(loadConfig({})).toEqual({
      port: 3000,
      databaseUrl: null,
      eventStore: { adapter: 'postgres', url: null },
      stripe: { webhookSecrets: [], apiKey: null, apiBase: null },
      apiKeys: [],
      dataDir: '.data',
      projectionBatchSize: 1_000,
      projectionStallSeconds: 30,
      notifications: { webhook: null, retryBaseMs: 30_000, maxAttempts: 8 },
      commands: {
        planChangeRefund: 'prorated',
        taxesEnabled: false,
        invoiceDaysUntilDue: 30,
        stripeSyncMaxAttempts: 6,
        stripeSyncRetryBaseMs: 1000,
      },
      feeds: { heartbeatMs: 15_000, drainTimeoutMs: 30_000, batchSize: 500, memberIdleMs: 120_000 },
      backfill: { requestsPerSecond: 20, maxAttempts: 8, pageSize: 100 },
      workers: { port: 3001, leaseMs: 5_000, heartbeatMs: 1_250 },
      logging: { level: 'info', format: null },
    });
  });

  it('reads the workers: a port, none, and the lease with its heartbeat', () => {
    expect(loadConfig({ WORKER_PORT: '0', WORKER_LEASE_MS: '8000' }).workers).toEqual({
      port: 0,
      leaseMs: 8_000,
      heartbeatMs: 2_000,
    });
    expect(loadConfig({ WORKER_PORT: 'off' }).workers.port).toBeNull();
    expect(() => loadConfig({ WORKER_PORT: '70000', WORKER_LEASE_MS: '500' })).toThrow(
      /WORKER_PORT: expected an integer from 0 to 65535, got "70000"[\s\S]*WORKER_LEASE_MS: expected an integer from 1000 to 60000/,
    );
  });

  it('reads every variable of the table', () => {
    const config = loadConfig({
      PORT: '8080',
      DATABASE_URL: 'postgres://u:p@db:5432/ledgerline',
      EVENT_STORE_URL: 'esdb://localhost:2113?tls=false',
      STRIPE_WEBHOOK_SECRETS: 'whsec_abcdefgh123, whsec_connect0987654',
      STRIPE_API_KEY: 'sk_test_abcdefghijkl',
      STRIPE_API_BASE: 'http://localhost:12111/',
      API_KEYS: 'support:alice:support-key-0123456789,admin:admin-key-0123456789',
      PROJECTION_STALL_SECONDS: '120',
    });
    expect(config.port).toBe(8080);
    expect(config.projectionStallSeconds).toBe(120);
    expect(config.eventStore).toEqual({ adapter: 'eventstoredb', url: 'esdb://localhost:2113?tls=false' });
    expect(config.stripe).toEqual({
      webhookSecrets: ['whsec_abcdefgh123', 'whsec_connect0987654'],
      apiKey: 'sk_test_abcdefghijkl',
      apiBase: 'http://localhost:12111',
    });
    expect(config.apiKeys).toEqual([
      { role: 'support', name: 'alice', key: 'support-key-0123456789' },
      { role: 'admin', name: 'admin-2', key: 'admin-key-0123456789' },
    ]);
  });

  it('reads a key name with spaces, as a person is called (issue 28)', () => {
    expect(
      loadConfig({ API_KEYS: ' support:Sam Support:support-key-0123456789 , admin:Zoë Ørsted:admin-key-0123456789' })
        .apiKeys,
    ).toEqual([
      { role: 'support', name: 'Sam Support', key: 'support-key-0123456789' },
      { role: 'admin', name: 'Zoë Ørsted', key: 'admin-key-0123456789' },
    ]);
  });

  it.each([
    ['kurrentdb://node1:2113', 'eventstoredb'],
    ['postgres://u:p@other:5432/events', 'postgres'],
  ])('selects the event store adapter from EVENT_STORE_URL %s', (url, adapter) => {
    expect(loadConfig({ EVENT_STORE_URL: url }).eventStore.adapter).toBe(adapter);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT: expected an integer from 1 to 65535, got "abc"'],
    [{ PORT: '70000' }, 'PORT: expected an integer from 1 to 65535'],
    [{ DATABASE_URL: 'mysql://localhost/db' }, 'DATABASE_URL: expected a PostgreSQL URL'],
    [{ EVENT_STORE_URL: 'redis://localhost' }, 'EVENT_STORE_URL: expected "esdb://...", "kurrentdb://..."'],
    [{ STRIPE_WEBHOOK_SECRETS: 'not-a-secret' }, 'STRIPE_WEBHOOK_SECRETS: entry 1'],
    [{ STRIPE_API_KEY: 'pk_test_123456789' }, 'STRIPE_API_KEY:'],
    [{ STRIPE_API_BASE: 'ftp://x' }, 'STRIPE_API_BASE: expected an http(s) URL'],
    [{ API_KEYS: 'root:averyveryverylongkey' }, 'API_KEYS: entry 1 has unknown role "root"'],
    [{ API_KEYS: 'support:short' }, 'the key must be at least 16 characters'],
    [{ API_KEYS: 'supportonly' }, 'API_KEYS: entry 1 is not "role:key"'],
    [{ API_KEYS: 'support:Sam  Support:support-key-0123456789' }, 'API_KEYS: entry 1 has an invalid name'],
    [{ API_KEYS: 'support:Sam Support:support key 0123456789' }, 'the key must not contain spaces'],
    [{ PROJECTION_BATCH_SIZE: '0' }, 'PROJECTION_BATCH_SIZE: expected an integer from 1 to 10000, got "0"'],
    [{ PROJECTION_STALL_SECONDS: '0' }, 'PROJECTION_STALL_SECONDS: expected an integer from 1 to 86400, got "0"'],
    [{ PROJECTION_STALL_SECONDS: '86401' }, 'PROJECTION_STALL_SECONDS: expected an integer from 1 to 86400'],
  ])('rejects %j naming the variable and what it expects', (env, message) => {
    const problems = problemsOf(env as Record<string, string>);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(message);
  });

  it('reports every problem at once', () => {
    expect(problemsOf({ PORT: 'x', API_KEYS: 'nobody:key' })).toHaveLength(2);
  });

  it('never echoes secret values or database passwords', () => {
    const error = (() => {
      try {
        loadConfig({
          STRIPE_API_KEY: 'sk_test_TOPSECRET!!',
          STRIPE_WEBHOOK_SECRETS: 'whsec_TOPSECRET!!',
          DATABASE_URL: 'mysql://user:TOPSECRET@host/db',
          API_KEYS: 'support:TOPSECRET',
        });
      } catch (e) {
        return e as Error;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.message).not.toContain('TOPSECRET');
  });
});
