import type Stripe from 'stripe';
import type { DropOptions, FailOptions, RequestMatcher } from './faults';
import type { FormParams } from './form-body';

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
  /** Answers the next matching request(s) with a Stripe-shaped error (409, 429, 5xx, ...); nothing runs. */
  failNext(options: FailOptions): void;
  /** Cuts the connection of the next matching request(s): the SDK sees a network error. */
  dropNext(options?: DropOptions): void;
  /** Every customer that exists (deleted ones excluded) on the platform or a Stripe-Account. */
  listCustomers(stripeAccount?: string): Promise<Stripe.Customer[]>;
  countCustomers(stripeAccount?: string): Promise<number>;
  /** Adds balance transactions (`txn_...`) to an account's balance, as Stripe's side of a reconciliation. */
  addBalanceTransactions(transactions: Record<string, unknown>[], stripeAccount?: string): void;
  /**
   * Stores Stripe objects of any type (filed by their `object` and `id`) on the platform or a
   * Stripe-Account, as they are: the list and retrieve endpoints serve them beside the objects made
   * through the API. Seeding an id again replaces the object.
   */
  seedObjects(objects: Record<string, unknown>[], stripeAccount?: string): void;
  /** Forgets a seeded object; false when none had that id. */
  removeObject(id: string, stripeAccount?: string): boolean;
  /** A connected account (`acct_...`, or an account object) that `GET /v1/accounts` lists. */
  addConnectedAccount(account: Record<string, unknown> | string): void;
  /** Fields of the platform's own account (`GET /v1/account`), e.g. `{ id, created }`. */
  setPlatformAccount(fields: Record<string, unknown>): void;
  /** Forgets recorded requests and armed faults; Stripe objects and idempotency keys stay. */
  reset(): void;
  close(): Promise<void>;
}
