import type { INestApplication } from '@nestjs/common';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
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
