import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { freePort } from '@ledgerline/database';
import {
  buildOnce,
  createTestDatabase,
  ROOT,
  postWebhookTo,
  startProcess,
  stopProcess,
  type TestDatabase,
} from '@ledgerline/testing';

const SECRET = 'whsec_cli_rebuild_0123456789';

describe('ledgerline rebuild', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    buildOnce();
    database = await createTestDatabase('cli_rebuild');
  }, 120_000);
  afterAll(async () => database?.drop());

  it('has the running worker rebuild a projection and follows it to the switch-over', async () => {
    const port = await freePort();
    const env = { DATABASE_URL: database.url, STRIPE_WEBHOOK_SECRETS: SECRET };
    const server = await startProcess(env, port);
    try {
      for (let i = 0; i < 20; i++) {
        const response = await postWebhookTo(
          `http://127.0.0.1:${port}`,
          {
            id: `evt_cli_${i}`,
            object: 'event',
            type: 'customer.created',
            created: 1_700_000_000 + i,
            data: { object: { id: `cus_cli_${i}`, object: 'customer' } },
          },
          SECRET,
        );
        expect(response.status).toBe(200);
      }
      const cli = await promisify(execFile)('node', [join(ROOT, 'bin/ledgerline.js'), 'rebuild', 'stripe_objects'], {
        env: { ...process.env, ...env },
        timeout: 60_000,
      });
      expect(cli.stderr).toMatch(/rebuild stripe_objects done/);

      const usage = await promisify(execFile)('node', [join(ROOT, 'bin/ledgerline.js'), 'rebuild', 'nope'], {
        env: { ...process.env, ...env },
      }).catch((error: { code: number; stderr: string }) => error);
      expect(usage).toMatchObject({ code: 64 });
      expect((usage as { stderr: string }).stderr).toMatch(/Usage: ledgerline rebuild <stripe_objects\|[a-z_|]+\|all>/);
    } finally {
      await stopProcess(server.child, 'SIGTERM');
    }
  }, 120_000);
});
