import type { IncomingMessage, ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { LEDGERLINE_CONFIG, type LedgerlineConfig } from '@ledgerline/config';
import { EVENT_STORE, type EventStore } from '@ledgerline/event-store';
import { storableString } from '@ledgerline/events';
import { ingestStripeEvent, WebhookRejectedError, WebhookVerifier } from '@ledgerline/stripe';
import { StripeWebhookMetrics } from './stripe-webhook.metrics';

export const STRIPE_WEBHOOK_PATH = '/webhooks/stripe';
export const WEBHOOK_BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * POST /webhooks/stripe, served in front of Express (see installWebhookFrontController and
 * docs/decisions/0005-webhook-hot-path.md): the hot path of the system, which needs no router,
 * guard or interceptor. Public: the Stripe signature is the authentication.
 *
 * Answers 200 `{ received, eventId, duplicate }` only after the event is committed; 400 for a
 * bad signature or body and 413 over 1 MiB, with nothing stored; errors in Nest's shape. Signed
 * payloads with text PostgreSQL cannot hold are stored, those shaped as no Stripe event is are
 * refused with a 400: docs/decisions/0018-hostile-stripe-payloads.md.
 */
@Injectable()
export class StripeWebhookHandler {
  private readonly logger = new Logger('StripeWebhook');
  private readonly verifier: WebhookVerifier;

  constructor(
    @Inject(LEDGERLINE_CONFIG) config: LedgerlineConfig,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly metrics: StripeWebhookMetrics,
  ) {
    this.verifier = new WebhookVerifier(config.stripe.webhookSecrets);
  }

  handle(request: IncomingMessage, response: ServerResponse): void {
    if (request.method !== 'POST') {
      response.setHeader('Allow', 'POST');
      return reply(response, 405, {
        statusCode: 405,
        message: `Cannot ${request.method} ${STRIPE_WEBHOOK_PATH}`,
        error: STATUS_CODES[405],
      });
    }
    readBody(request, WEBHOOK_BODY_LIMIT_BYTES)
      .then(
        (body) => this.receive(body, header(request, 'stripe-signature'), response),
        (error: unknown) => {
          if (error instanceof BodyTooLargeError) {
            const limit = `${WEBHOOK_BODY_LIMIT_BYTES / 1024 / 1024} MiB`;
            return this.reject(response, 413, 'payload_too_large', `The body is larger than the ${limit} limit`, 0);
          }
          response.destroy(); // the client went away mid-body: nobody to answer
        },
      )
      .catch((error: unknown) => {
        // A bug, not bad input: answer 500 (Stripe retries) rather than let the process die.
        this.logger.error(`webhook handling failed: ${(error as Error).stack ?? String(error)}`);
        reply(response, 500, { statusCode: 500, message: 'Internal server error', error: STATUS_CODES[500] });
      });
  }

  private async receive(body: Buffer, signature: string | undefined, response: ServerResponse): Promise<void> {
    let verified;
    try {
      verified = this.verifier.verify(body, signature);
    } catch (error) {
      if (error instanceof WebhookRejectedError)
        return this.reject(response, 400, error.reason, error.message, body.length);
      throw error;
    }
    const { event, raw } = verified;
    // As stored: a NUL or lone surrogate as U+FFFD (a metrics label is text like any other).
    const type = storableString(event.type);
    this.metrics.countReceived(type);
    try {
      const stored = await ingestStripeEvent(this.store, event, raw);
      this.metrics.countStored(type, stored.duplicate);
      reply(response, 200, { received: true, eventId: stored.eventId, duplicate: stored.duplicate });
    } catch (error) {
      // Not stored: Stripe retries on any non-2xx, so nothing is lost. The id and type are signed,
      // not trusted: escaped and cut short, so that no control character reaches the log.
      this.logger.error(
        `storing Stripe event ${printable(event.id)} (${printable(event.type)}) failed: ${printable((error as Error).message, 500)}`,
      );
      reply(response, 500, {
        statusCode: 500,
        message: 'The event could not be stored; Stripe will retry',
        error: STATUS_CODES[500],
      });
    }
  }

  private reject(
    response: ServerResponse,
    status: 400 | 413,
    reason: WebhookRejectedError['reason'],
    message: string,
    bytes: number,
  ): void {
    this.metrics.countRejected(reason);
    // Never the body: it carries customers' personal data.
    this.logger.warn(`rejected webhook (${reason}): ${message}; ${bytes} bytes`);
    reply(response, status, { statusCode: status, message, error: STATUS_CODES[status] });
  }
}

class BodyTooLargeError extends Error {}

function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length']);
    if (declared > limit) {
      request.resume();
      return reject(new BodyTooLargeError());
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        request.removeAllListeners('data');
        request.resume();
        reject(new BodyTooLargeError());
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
    request.on('error', reject);
  });
}

/**
 * Text from a request as a log line may hold it: control characters (C0, DEL, C1), line and
 * paragraph separators and lone surrogates as `\uXXXX`, cut to `max` characters.
 */
function printable(text: string, max = 100): string {
  const cut = text.length > max ? text.slice(0, max) : text;
  const escaped = cut.replace(
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u001f\u007f-\u009f\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return text.length > max ? `${escaped}… (${text.length} characters)` : escaped;
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  if (response.headersSent) return;
  const json = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(json),
  });
  response.end(json);
}
