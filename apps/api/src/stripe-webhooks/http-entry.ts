import type { INestApplication } from '@nestjs/common';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import { STRIPE_WEBHOOK_PATH, StripeWebhookHandler } from './stripe-webhook.handler';

/**
 * Routes POST /webhooks/stripe to StripeWebhookHandler before Express sees the request; everything
 * else goes on to the Nest app. Call after `init()` and before `listen()`.
 */
export function installWebhookFrontController(app: INestApplication): void {
  const server = app.getHttpServer() as Server;
  const handler = app.get(StripeWebhookHandler);
  const nest = server.listeners('request') as ((request: IncomingMessage, response: ServerResponse) => void)[];
  server.removeAllListeners('request');
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const path = request.url?.split('?', 1)[0];
    if (path === STRIPE_WEBHOOK_PATH) return handler.handle(request, response);
    for (const listener of nest) listener(request, response);
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
