import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { couponRoutes } from './coupon-routes';
import { customerRoutes } from './customer-routes';
import { FaultQueue, matches, type DropOptions, type FailOptions, type RequestMatcher } from './faults';
import { parseForm, type FormParams } from './form-body';
import { IdempotencyStore } from './idempotency';
import { MockBackend } from './mock-backend';
import { balanceRoutes } from './balance-routes';
import { mockRoutes } from './mock-routes';
import { paymentRoutes } from './payment-routes';
import { findRoute } from './routing';
import { applyPatches, ServerState } from './state';
import { invalidRequest, newId, Refusal, stripeError, type StripeObject, type StripeReply } from './stripe-objects';
import { subscriptionRoutes } from './subscription-routes';

const ROUTES = [
  ...customerRoutes,
  ...subscriptionRoutes,
  ...couponRoutes,
  ...paymentRoutes,
  ...balanceRoutes,
  ...mockRoutes,
];

export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. `/v1/customers/cus_123`. */
  path: string;
  query: FormParams;
  body: FormParams;
  /** What the endpoint received: the form body for POST, the query string for GET and DELETE. */
  params: FormParams;
  idempotencyKey: string | null;
  stripeAccount: string | null;
  stripeVersion: string | null;
  /** Status answered; null while running, or when the connection was dropped before anything ran. */
  status: number | null;
  /** Set when an injected fault answered (`fail`) or cut (`drop`) this request. */
  fault: 'fail' | 'drop' | null;
  /** True when an idempotency key replayed an earlier response. */
  replayed: boolean;
  receivedAt: Date;
}

export interface StripeTestServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** An SDK client pointed at this server (`maxNetworkRetries: 0` unless `config` says otherwise). */
  stripe(apiKey?: string, config?: Stripe.StripeConfig): Stripe;
  /** Requests received so far, oldest first, optionally only those matching `filter`. */
  requests(filter?: RequestMatcher): RecordedRequest[];
  /** Answers the next matching request(s) with a Stripe-shaped 429/500/503; nothing runs. */
  failNext(options: FailOptions): void;
  /** Cuts the connection of the next matching request(s): the SDK sees a network error. */
  dropNext(options?: DropOptions): void;
  /** Every customer that exists (deleted ones excluded) on the platform or a Stripe-Account. */
  listCustomers(stripeAccount?: string): Promise<Stripe.Customer[]>;
  countCustomers(stripeAccount?: string): Promise<number>;
  /** Adds balance transactions (`txn_...`) to an account's balance, as Stripe's side of a reconciliation. */
  addBalanceTransactions(transactions: Record<string, unknown>[], stripeAccount?: string): void;
  /** Forgets recorded requests and armed faults; Stripe objects and idempotency keys stay. */
  reset(): void;
  close(): Promise<void>;
}

export const STRIPE_TEST_API_KEY = 'sk_test_12345678';

/** Starts a Stripe-compatible HTTP server on an ephemeral loopback port, for the official SDK. */
export async function startStripeServer(): Promise<StripeTestServer> {
  const backend = await MockBackend.start();
  const state = new ServerState();
  const faults = new FaultQueue();
  const idempotency = new IdempotencyStore();
  let recorded: RecordedRequest[] = [];

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
        ? await found.route.handle({
            method,
            path,
            ids: found.ids,
            params,
            account,
            state: state.forAccount(account),
            backend,
          })
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
    const fault = faults.take(method, record.path);
    if (fault) record.fault = fault.kind;
    if (fault?.kind === 'drop' && fault.when === 'before') return void req.socket.destroy();
    const reply = fault?.kind === 'fail' ? fault.reply : await execute(record, req.headers.authorization);
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
    const account = stripeAccount ?? null;
    const accountState = state.forAccount(account);
    const all: StripeObject[] = [];
    let page: { data: StripeObject[]; has_more: boolean };
    do {
      const after: FormParams = all.length ? { starting_after: all[all.length - 1]!.id } : {};
      page = (await backend.call(account, 'GET', '/v1/customers', { limit: '100', ...after })).body as typeof page;
      all.push(...page.data);
    } while (page.has_more && page.data.length > 0);
    return all
      .filter((customer) => !accountState.deletedCustomers.has(customer.id))
      .map((customer) => applyPatches(accountState, customer) as Stripe.Customer);
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
      ledger.sort((a, b) => Number(b.created) - Number(a.created) || (a.id < b.id ? 1 : -1));
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
