import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import type { Level, Logger } from 'pino';
import { Histogram } from 'prom-client';
import { pathOf, PROCESS_LOGGER, runWithRequestId } from './logging';
import { MetricsRegistry } from './metrics';

export const REQUEST_ID_HEADER = 'X-Request-Id';
/** A request id a client may choose: 1 to 128 visible ASCII characters (no spaces, no controls). */
const CLIENT_REQUEST_ID = /^[\x21-\x7e]{1,128}$/;
/** Bounded by the routes a process serves; never the raw URL (ids, query strings). */
export const UNMATCHED_ROUTE = 'unmatched';

/** The id sent in X-Request-Id when it is a valid one, else a new UUID. */
export function requestIdFor(request: IncomingMessage): string {
  const sent = request.headers['x-request-id'];
  return typeof sent === 'string' && CLIENT_REQUEST_ID.test(sent) ? sent : randomUUID();
}

/**
 * Every HTTP request of the api, seen before anything handles it (in front of Express, so the
 * webhook too):
 * - its id: X-Request-Id when the client sent a valid one, else a UUID; always in the response's
 *   X-Request-Id, and as `reqId` on every line logged while handling it;
 * - one access line when it ends, `GET /customers/cus_1 404 in 4 ms` with `req: { method, path }`,
 *   `res: { statusCode }` and `responseTime`: error for 5xx, warn for 4xx, debug for the rest
 *   (LOG_LEVEL=debug shows every request). No header, query string or body is ever logged;
 * - its duration in `ledgerline_http_request_duration_seconds{method,route,status}`, where route is
 *   the route's pattern (`/customers/:id`), or `unmatched`.
 *
 * Successes at debug: a line for every webhook cost the api 15-25 % more CPU a webhook, 7 % of its
 * throughput, under load (docs/architecture.md#logs-health-and-metrics); the histogram counts them.
 * Not pino-http either: its two child loggers a request cost 11-16 µs more.
 */
@Injectable()
export class HttpObserver {
  private readonly duration: Histogram<'method' | 'route' | 'status'>;

  constructor(
    @Inject(PROCESS_LOGGER) private readonly logger: Logger,
    metrics: MetricsRegistry,
  ) {
    this.duration = new Histogram({
      name: 'ledgerline_http_request_duration_seconds',
      help: 'HTTP requests by method, route pattern and status, from arrival to the last byte (or the client leaving)',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [metrics.registry],
    });
  }

  /**
   * Handles a request: call first, for every request, with what serves it (`serve`). `route` names
   * a route served outside Express (the webhook, the console's pages); otherwise it is the pattern
   * of the Express route that answered, or `unmatched`.
   */
  handle(request: IncomingMessage, response: ServerResponse, serve: () => void, route?: string): void {
    const started = performance.now();
    const id = requestIdFor(request);
    response.setHeader(REQUEST_ID_HEADER, id);
    response.once('close', () => this.ended(request, response, id, started, route));
    runWithRequestId(id, serve);
  }

  private ended(
    request: IncomingMessage,
    response: ServerResponse,
    reqId: string,
    started: number,
    route: string | undefined,
  ): void {
    const seconds = (performance.now() - started) / 1_000;
    const method = request.method ?? 'GET';
    const statusCode = response.statusCode;
    const pattern = route ?? routeOf(request);
    this.duration.observe({ method, route: pattern, status: String(statusCode) }, seconds);
    const level: Level = statusCode >= 500 ? 'error' : statusCode >= 400 ? 'warn' : 'debug';
    if (!this.logger.isLevelEnabled(level)) return;
    const path = pathOf(request);
    const responseTime = Math.round(seconds * 1_000);
    const outcome = response.writableFinished ? String(statusCode) : 'closed by the client';
    this.logger[level](
      { reqId, req: { method, path }, res: { statusCode }, responseTime },
      `${method} ${path} ${outcome} in ${responseTime} ms`,
    );
  }
}

/** The pattern of the Express route that handled the request (`/customers/:id`), or `unmatched`. */
function routeOf(request: IncomingMessage): string {
  const path = (request as { route?: { path?: unknown } }).route?.path;
  return typeof path === 'string' ? path : UNMATCHED_ROUTE;
}
