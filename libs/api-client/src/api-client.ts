import { randomUUID } from 'node:crypto';
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { components, paths } from './openapi.generated';

export type { components, paths } from './openapi.generated';
/** An answer's or a request body's schema by its name in the API description. */
export type Schema<Name extends keyof components['schemas']> = components['schemas'][Name];

export interface LedgerlineClientOptions {
  /** Where the api listens, e.g. `https://ledgerline.example.com`. */
  baseUrl: string;
  /** An API key (API_KEYS); its role decides which routes answer. */
  apiKey: string;
  /** Instead of the global fetch (tests, proxies). */
  fetch?: typeof fetch;
}

/** Every route of the api, typed from its OpenAPI description: `client.GET('/customers/{id}', ...)`. */
export type LedgerlineClient = Client<paths>;

/** The api refused or failed a request: its status and its messages (a 400 lists every problem). */
export class LedgerlineApiError extends Error {
  override readonly name = 'LedgerlineApiError';

  constructor(
    readonly status: number,
    readonly messages: string[],
    /** The X-Request-Id of the request, to find it in the api's log. */
    readonly requestId: string | null,
    request: string,
  ) {
    super(`${request} answered ${status}${messages.length ? `: ${messages.join('; ')}` : ''}`);
  }
}

/**
 * A client for the api's support, command and admin routes. Each request carries the key, and each
 * command (any method but GET) an Idempotency-Key unless one is given: retrying a call with the same
 * headers runs the command once. Answers come back as openapi-fetch gives them (`{ data, error,
 * response }`); `ok()` turns them into the data or a LedgerlineApiError.
 */
export function createLedgerlineClient(options: LedgerlineClientOptions): LedgerlineClient {
  const client = createClient<paths>({ baseUrl: options.baseUrl.replace(/\/+$/, ''), fetch: options.fetch });
  const authenticate: Middleware = {
    onRequest({ request }) {
      request.headers.set('Authorization', `Bearer ${options.apiKey}`);
      if (request.method !== 'GET' && !request.headers.has('Idempotency-Key')) {
        request.headers.set('Idempotency-Key', randomUUID());
      }
      return request;
    },
  };
  client.use(authenticate);
  return client;
}

/** The data of a successful answer; a LedgerlineApiError for any other. */
export function ok<Data>(result: { data?: Data; error?: unknown; response: Response }): Data {
  const { response } = result;
  if (response.ok) return result.data as Data;
  const message = (result.error as { message?: unknown } | undefined)?.message;
  const messages = [message ?? []].flat().map(String);
  const request = `${response.url ? new URL(response.url).pathname : 'the request'}`;
  throw new LedgerlineApiError(response.status, messages, response.headers.get('x-request-id'), request);
}
