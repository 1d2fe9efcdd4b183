import request from 'supertest';
import type { App } from 'supertest/types';
import { signWebhook } from './stripe-fixtures';

/** POSTs a Stripe webhook body, signed as Stripe would, to an in-process app (supertest). */
export function postWebhook(server: App, body: string | object, secret: string): request.Test {
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  return request(server)
    .post('/webhooks/stripe')
    .set('Content-Type', 'application/json')
    .set('Stripe-Signature', signWebhook(payload, secret))
    .send(payload);
}

/** The same over real HTTP, for tests that run the server as its own process. */
export function postWebhookTo(baseUrl: string, body: string | object, secret: string): Promise<Response> {
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  return fetch(`${baseUrl}/webhooks/stripe`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Stripe-Signature': signWebhook(payload, secret) },
    body: payload,
  });
}
