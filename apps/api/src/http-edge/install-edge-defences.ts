import type { INestApplication } from '@nestjs/common';
import type { Logger } from 'pino';
import { PROCESS_LOGGER } from '@ledgerline/observability';
import { JsonBodyAfterAuth } from './json-body';
import { UnexpectedErrorsFilter } from './unexpected-errors.filter';
import { refuseUnreadableUrls } from './url-checks';

/**
 * Issue 26's rule at the api's edge: input is stored and shown, or refused with a 4xx naming what
 * is wrong, never a 5xx, and logs keep none of it. For every route but the Stripe webhook (served
 * before Express, from its exact bytes):
 * - a URL that is not text (a NUL, bytes that are not UTF-8, a malformed escape) is a 400 before
 *   anything else runs (url-checks.ts);
 * - JSON bodies are read after the API-key guard, so a caller without a valid key gets 401 from
 *   its headers alone, and are refused when not UTF-8, nested deeper than 32, or holding a NUL, a
 *   lone surrogate or a `__proto__`/`constructor`/`prototype` key (json-body.ts);
 * - an unexpected error is a 500 logged by its class, SQLSTATE and names, never its parameters or
 *   message (unexpected-errors.filter.ts).
 * Call before `init()`, in place of a body parser.
 */
export function installEdgeDefences(app: INestApplication): void {
  app.use(refuseUnreadableUrls);
  app.useGlobalInterceptors(new JsonBodyAfterAuth());
  app.useGlobalFilters(new UnexpectedErrorsFilter(app.getHttpAdapter(), app.get<Logger>(PROCESS_LOGGER)));
}
