import { Agent, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { encodeForm, type FormParams } from './form-body';
import type { StripeReply } from './stripe-objects';

// The mock checks for a test key but never sees the client's: ours is a fixed stand-in.
const MOCK_API_KEY = 'sk_test_backing_mock';

/**
 * stripe-stateful-mock (an express 4 app) on its own loopback port. Its data lives in module-level
 * singletons, so every server instance and every client Stripe-Account is mapped onto a connected
 * account of its own in the mock: instances in one process do not see each other's objects.
 */
export class MockBackend {
  private readonly agent = new Agent({ keepAlive: true });
  private readonly mockAccounts = new Map<string, Promise<string>>();

  private constructor(
    private readonly server: Server,
    private readonly port: number,
  ) {}

  static async start(): Promise<MockBackend> {
    // Loaded on first use so that importing @ledgerline/testing does not pull in express 4. The
    // mock logs through loglevel (not our dependency): silence the very copy it resolves.
    const mockDir = dirname(require.resolve('stripe-stateful-mock'));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loglevel = require(require.resolve('loglevel', { paths: [mockDir] })) as { setLevel(level: string): void };
    loglevel.setLevel('silent');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mock = require('stripe-stateful-mock') as {
      createExpressApp(): { listen(port: number, host: string, onListening: () => void): Server };
    };
    const app = mock.createExpressApp();
    const server = await new Promise<Server>((resolve, reject) => {
      const listening: Server = app.listen(0, '127.0.0.1', () => resolve(listening));
      listening.once('error', reject);
    });
    return new MockBackend(server, (server.address() as AddressInfo).port);
  }

  /** Calls the mock as `account` (null: the platform); params go in the query for GET and DELETE. */
  async call(account: string | null, method: string, path: string, params: FormParams = {}): Promise<StripeReply> {
    const mockAccount = await this.mockAccountFor(account ?? '');
    const query = method === 'POST' ? '' : encodeForm(params);
    return this.send(mockAccount, method, query ? `${path}?${query}` : path, params);
  }

  async close(): Promise<void> {
    this.agent.destroy();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private mockAccountFor(account: string): Promise<string> {
    let created = this.mockAccounts.get(account);
    if (!created) {
      created = this.send(null, 'POST', '/v1/accounts', { type: 'custom' }).then((reply) => {
        const id = (reply.body as { id?: unknown }).id;
        if (reply.status !== 200 || typeof id !== 'string') throw new Error('stripe-stateful-mock refused an account');
        return id;
      });
      this.mockAccounts.set(account, created);
    }
    return created;
  }

  private send(mockAccount: string | null, method: string, path: string, params: FormParams): Promise<StripeReply> {
    const body = method === 'POST' ? encodeForm(params) : '';
    const headers: Record<string, string | number> = { authorization: `Bearer ${MOCK_API_KEY}` };
    if (mockAccount) headers['stripe-account'] = mockAccount;
    if (method === 'POST') {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      headers['content-length'] = Buffer.byteLength(body);
    }
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: this.port, method, path, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 500;
          let body: { error?: unknown; message?: unknown };
          try {
            body = text ? JSON.parse(text) : {};
          } catch {
            body = { message: text };
          }
          // The mock's crashes answer `{ message, stack }`; the SDK needs Stripe's error envelope.
          if (status >= 500 && !body.error) body = { error: { type: 'api_error', message: String(body.message) } };
          resolve({ status, body });
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  }
}
