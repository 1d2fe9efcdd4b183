import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { connectedAccount } from './account-object';
import { collectionRoutes } from './collection-routes';
import { allObjects, CUSTOMERS } from './collections';
import { couponRoutes } from './coupon-routes';
import { customerRoutes } from './customer-routes';
import { FaultQueue, matches } from './faults';
import { parseForm } from './form-body';
import { IdempotencyStore } from './idempotency';
import { newestFirst } from './list-query';
import { MockBackend } from './mock-backend';
import { mockRoutes } from './mock-routes';
import { paymentRoutes } from './payment-routes';
import { findRoute, type RouteContext } from './routing';
import type { RecordedRequest, StripeTestServer } from './server-types';
import { ServerState, removeSeeded, seedObjects } from './state';
import { invalidRequest, newId, Refusal, stripeError, type StripeObject, type StripeReply } from './stripe-objects';
import { subscriptionRoutes } from './subscription-routes';
import { webhookEndpointRoutes } from './webhook-endpoint-routes';

const OWN_ROUTES = [
  ...customerRoutes,
  ...subscriptionRoutes,
  ...couponRoutes,
  ...paymentRoutes,
  ...webhookEndpointRoutes,
  ...mockRoutes,
];
// The lists come first: they replace the routes' own lists and fall back to their retrieves.
const ROUTES = [...collectionRoutes(OWN_ROUTES), ...OWN_ROUTES];

export type { RecordedRequest, StripeTestServer } from './server-types';

export const STRIPE_TEST_API_KEY = 'sk_test_12345678';

/** Starts a Stripe-compatible HTTP server on an ephemeral loopback port, for the official SDK. */
export async function startStripeServer(): Promise<StripeTestServer> {
  const backend = await MockBackend.start();
  const state = new ServerState();
  const faults = new FaultQueue();
  const idempotency = new IdempotencyStore();
  let recorded: RecordedRequest[] = [];
  const context = (account: string | null, method: string, path: string): RouteContext => ({
    method,
    path,
    ids: [],
    params: {},
    account,
    state: state.forAccount(account),
    server: state,
    backend,
  });

  const execute = async (record: RecordedRequest, authorization: string | undefined): Promise<StripeReply> => {
    // Only the shape of the key is checked; it is never stored or echoed.
    if (!/^Bearer (sk|rk)_test_/.test(authorization ?? '')) {
      return stripeError(401, { type: 'invalid_request_error', message: 'Invalid API Key provided.' });
    }
    const { method, path, params, stripeAccount: account, idempotencyKey: key } = record;
    const requestId = newId('req');
    const decision =
      key && (method === 'POST' || method === 'DELETE')
        ? idempotency.begin(account, key, method, path, params, requestId)
        : undefined;
    if (decision?.kind === 'answer') {
      record.replayed = decision.reply.headers?.['idempotent-replayed'] === 'true';
      return decision.reply;
    }
    let reply: StripeReply;
    try {
      const found = findRoute(ROUTES, method, path);
      reply = found
        ? await found.route.handle({ ...context(account, method, path), ids: found.ids, params })
        : invalidRequest(
            `Unrecognized request URL (${method}: ${path}): the Stripe test server does not implement it.`,
            {},
            404,
          );
    } catch (error) {
      reply =
        error instanceof Refusal
          ? error.reply
          : stripeError(500, { type: 'api_error', message: `Stripe test server failed: ${(error as Error).message}` });
    }
    reply = { ...reply, headers: { ...reply.headers, 'request-id': requestId } };
    decision?.commit(reply);
    return reply;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://stripe.test');
    const method = (req.method ?? 'GET').toUpperCase();
    const query = parseForm(url.search.slice(1));
    const isForm = (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
    const body = isForm ? parseForm(Buffer.concat(chunks).toString('utf8')) : {};
    const record: RecordedRequest = {
      method,
      path: url.pathname,
      query,
      body,
      params: method === 'POST' ? body : query,
      idempotencyKey: header(req, 'idempotency-key'),
      stripeAccount: header(req, 'stripe-account'),
      stripeVersion: header(req, 'stripe-version'),
      status: null,
      fault: null,
      replayed: false,
      receivedAt: new Date(),
    };
    recorded.push(record);
    const fault = faults.take(method, record.path, record.idempotencyKey);
    if (fault) record.fault = fault.kind;
    if (fault?.kind === 'drop' && fault.when === 'before') return void req.socket.destroy();
    // Stripe's rate limit answers carry a request id as well; the SDK reports it on the error.
    const reply =
      fault?.kind === 'fail'
        ? { ...fault.reply, headers: { 'request-id': newId('req'), ...fault.reply.headers } }
        : await execute(record, req.headers.authorization);
    record.status = reply.status;
    if (fault?.kind === 'drop' && fault.when === 'never') return;
    if (fault?.kind === 'drop') return void req.socket.destroy();
    const headers: Record<string, string> = { 'content-type': 'application/json', ...reply.headers };
    if (record.idempotencyKey) headers['idempotency-key'] = record.idempotencyKey;
    res.writeHead(reply.status, headers).end(JSON.stringify(reply.body));
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => {
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { type: 'api_error', message: error.message } }));
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const host = '127.0.0.1';
  const port = (server.address() as AddressInfo).port;

  const listCustomers = async (stripeAccount?: string): Promise<Stripe.Customer[]> => {
    const ctx = context(stripeAccount ?? null, 'GET', '/v1/customers');
    const customers = (await allObjects(CUSTOMERS, ctx)).filter((customer) => customer.deleted !== true);
    return customers.sort(newestFirst) as unknown as Stripe.Customer[];
  };

  return {
    url: `http://${host}:${port}`,
    host,
    port,
    stripe: (apiKey = STRIPE_TEST_API_KEY, config = {}) =>
      new Stripe(apiKey, { host, port, protocol: 'http', maxNetworkRetries: 0, telemetry: false, ...config }),
    requests: (filter = {}) =>
      recorded.filter((record) => matches(filter, record.method, record.path)).map((record) => ({ ...record })),
    failNext: (options) => faults.fail(options),
    dropNext: (options = {}) => faults.drop(options),
    listCustomers,
    countCustomers: async (stripeAccount) => (await listCustomers(stripeAccount)).length,
    addBalanceTransactions: (transactions, stripeAccount) => {
      const ledger = state.forAccount(stripeAccount ?? null).balanceLedger;
      ledger.push(...transactions.map((txn) => ({ object: 'balance_transaction', ...txn }) as unknown as StripeObject));
      // Stripe lists newest first.
      ledger.sort(newestFirst);
    },
    seedObjects: (objects, stripeAccount) => seedObjects(state.forAccount(stripeAccount ?? null), objects),
    removeObject: (id, stripeAccount) => removeSeeded(state.forAccount(stripeAccount ?? null), id),
    addConnectedAccount: (account) => seedObjects(state.forAccount(null), [connectedAccount(account)]),
    setPlatformAccount: (fields) => {
      state.platformAccount = { ...state.platformAccount, ...fields };
    },
    reset: () => {
      recorded = [];
      faults.clear();
    },
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await backend.close();
    },
  };
}

function header(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? null;
}
