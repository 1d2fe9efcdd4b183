import type { INestApplication } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response } from 'express';
import { STATUS_CODES } from 'node:http';
import { StripeWebhookMetrics } from './stripe-webhook.metrics';
import { STRIPE_WEBHOOK_PATH } from './stripe-webhook.controller';

export const WEBHOOK_BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * Body parsing for the whole app, set up before Nest's routes: the webhook route gets its body as
 * raw bytes (signatures are over the exact bytes), every other route JSON. Parser errors (too
 * large, malformed JSON) answer in Nest's error shape instead of Express's HTML page.
 */
export function installBodyParsers(app: INestApplication): void {
  const metrics = app.get(StripeWebhookMetrics);
  app.use(STRIPE_WEBHOOK_PATH, express.raw({ type: () => true, limit: WEBHOOK_BODY_LIMIT_BYTES }));
  app.use(express.json({ limit: '1mb' }));
  app.use(
    (
      error: { status?: number; type?: string; message?: string },
      request: Request,
      response: Response,
      next: NextFunction,
    ) => {
      if (typeof error?.status !== 'number' || error.status < 400 || error.status >= 500) return next(error);
      if (request.path === STRIPE_WEBHOOK_PATH && error.type === 'entity.too.large') {
        metrics.countRejected('payload_too_large');
      }
      const message =
        error.type === 'entity.too.large'
          ? `The body is larger than the ${WEBHOOK_BODY_LIMIT_BYTES / 1024 / 1024} MiB limit`
          : (error.message ?? 'Bad request');
      response.status(error.status).json({ statusCode: error.status, message, error: STATUS_CODES[error.status] });
    },
  );
}
