import type { INestApplication } from '@nestjs/common';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import { HttpObserver } from '@ledgerline/observability';
import { STRIPE_WEBHOOK_PATH, StripeWebhookHandler } from './stripe-webhook.handler';

/**
 * The one `request` listener of the HTTP server: every request is first observed (request id,
 * access line, duration histogram: HttpObserver), then POST /webhooks/stripe goes to
 * StripeWebhookHandler before Express sees it, and everything else on to the Nest app. Call after
 * `init()` and before `listen()`.
 */
export function installWebhookFrontController(app: INestApplication): void {
  const server = app.getHttpServer() as Server;
  const handler = app.get(StripeWebhookHandler);
  const observer = app.get(HttpObserver);
  const nest = server.listeners('request') as ((request: IncomingMessage, response: ServerResponse) => void)[];
  server.removeAllListeners('request');
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const path = request.url?.split('?', 1)[0];
    if (path === STRIPE_WEBHOOK_PATH) {
      return observer.handle(request, response, () => handler.handle(request, response), STRIPE_WEBHOOK_PATH);
    }
    // The console's pages and assets are served by middleware, not routes: one label for them all.
    const route = path === '/console' || path?.startsWith('/console/') ? '/console' : undefined;
    observer.handle(request, response, () => nest.forEach((listener) => listener(request, response)), route);
  });
}

/**
 * JSON bodies for the Nest routes, with parser errors (too large, malformed) answered in Nest's
 * error shape instead of Express's HTML page.
 */
export function installBodyParsers(app: INestApplication): void {
  app.use(express.json({ limit: '1mb' }));
  app.use(
    (
      error: { status?: number; type?: string; message?: string },
      _request: Request,
      response: Response,
      next: NextFunction,
    ) => {
      if (typeof error?.status !== 'number' || error.status < 400 || error.status >= 500) return next(error);
      const message =
        error.type === 'entity.too.large'
          ? 'The body is larger than the 1 MiB limit'
          : (error.message ?? 'Bad request');
      response.status(error.status).json({ statusCode: error.status, message, error: STATUS_CODES[error.status] });
    },
  );
}
