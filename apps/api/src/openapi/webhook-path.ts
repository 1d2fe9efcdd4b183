import type { OpenAPIObject } from '@nestjs/swagger';
import { STRIPE_WEBHOOK_PATH } from '../stripe-webhooks/stripe-webhook.handler';

const error = { $ref: '#/components/schemas/ErrorResponse' };

/**
 * POST /webhooks/stripe is served in front of Express (installWebhookFrontController), so Nest's
 * router, and with it swagger's explorer, never sees it: it is described here.
 */
export const webhookPath: { path: string; item: OpenAPIObject['paths'][string] } = {
  path: STRIPE_WEBHOOK_PATH,
  item: {
    post: {
      operationId: 'StripeWebhook_receive',
      summary: "Receives a Stripe event (configure it as the account's webhook endpoint)",
      description:
        'Public: the `Stripe-Signature` header, checked against STRIPE_WEBHOOK_SECRETS, is the authentication. ' +
        'Answers 200 only once the event is committed to the store; a redelivery answers `duplicate: true`.',
      tags: ['StripeWebhook'],
      security: [],
      'x-roles': [],
      parameters: [
        {
          name: 'Stripe-Signature',
          in: 'header',
          required: true,
          schema: { type: 'string' },
          description: "Stripe's `t=<timestamp>,v1=<signature>` over the exact bytes of the body.",
        },
      ],
      requestBody: {
        required: true,
        description: 'The event exactly as Stripe sent it (at most 1 MiB).',
        content: { 'application/json': { schema: { type: 'object', description: 'A Stripe Event object.' } } },
      },
      responses: {
        '200': {
          description: 'Stored (or already stored)',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  received: { type: 'boolean' },
                  eventId: { type: 'string', description: "The event's id in Ledgerline's store." },
                  duplicate: { type: 'boolean' },
                },
                required: ['received', 'eventId', 'duplicate'],
              },
            },
          },
        },
        '400': {
          description: 'A bad signature or body; nothing stored',
          content: { 'application/json': { schema: error } },
        },
        '413': { description: 'Over 1 MiB; nothing stored', content: { 'application/json': { schema: error } } },
        default: { $ref: '#/components/responses/Error' },
      },
    } as NonNullable<OpenAPIObject['paths'][string]['post']>,
  },
};
