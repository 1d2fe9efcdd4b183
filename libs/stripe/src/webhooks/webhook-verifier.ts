import Stripe from 'stripe';
import { RawJson } from '@ledgerline/event-store';

export const DEFAULT_TOLERANCE_SECONDS = 300;

export type RejectionReason =
  | 'no_secret_configured'
  | 'missing_signature'
  | 'malformed_signature'
  | 'signature_mismatch'
  | 'timestamp_outside_tolerance'
  | 'invalid_json'
  | 'not_a_stripe_event'
  | 'payload_too_large';

/** A webhook that must not be stored; `message` is safe to return and to log (no payload data). */
export class WebhookRejectedError extends Error {
  constructor(
    readonly reason: RejectionReason,
    message: string,
  ) {
    super(message);
    this.name = 'WebhookRejectedError';
  }
}

export interface VerifiedWebhook {
  event: StripeEventPayload;
  raw: RawJson;
}

export interface StripeEventPayload {
  id: string;
  object: 'event';
  type: string;
  account?: string | null;
  api_version?: string | null;
  created?: number;
  livemode?: boolean;
  request?: string | { id?: string | null; idempotency_key?: string | null } | null;
  data?: { object?: Record<string, unknown> | null; [key: string]: unknown } | null;
  [key: string]: unknown;
}

/**
 * Checks a webhook the way Stripe specifies, with the official SDK, against every configured
 * secret (rotation keeps two; Connect endpoints have their own), then parses the body once.
 */
export class WebhookVerifier {
  constructor(
    private readonly secrets: readonly string[],
    private readonly toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
  ) {}

  /** The verified event, and its body as RawJson so the store keeps the exact bytes Stripe signed. */
  verify(rawBody: Buffer, signature: string | undefined): VerifiedWebhook {
    if (this.secrets.length === 0) {
      throw new WebhookRejectedError(
        'no_secret_configured',
        'No webhook signing secret is configured (set STRIPE_WEBHOOK_SECRETS): the webhook cannot be verified',
      );
    }
    if (!signature) throw new WebhookRejectedError('missing_signature', 'Missing Stripe-Signature header');
    this.checkSignature(rawBody, signature);
    return parseEvent(rawBody);
  }

  private checkSignature(rawBody: Buffer, signature: string): void {
    const failures: string[] = [];
    for (const secret of this.secrets) {
      try {
        Stripe.webhooks.signature!.verifyHeader(rawBody, signature, secret, this.toleranceSeconds);
        return;
      } catch (error) {
        failures.push((error as Error).message);
      }
    }
    // The SDK checks the signature before the timestamp: a tolerance failure means a secret matched.
    if (failures.some((message) => /tolerance/i.test(message))) {
      throw new WebhookRejectedError(
        'timestamp_outside_tolerance',
        `Stripe-Signature timestamp is outside the ${this.toleranceSeconds} s tolerance`,
      );
    }
    if (failures.every((message) => /extract timestamp and signatures/i.test(message))) {
      throw new WebhookRejectedError(
        'malformed_signature',
        'Malformed Stripe-Signature header: expected "t=<timestamp>,v1=<signature>"',
      );
    }
    throw new WebhookRejectedError(
      'signature_mismatch',
      'Stripe-Signature does not match the payload for any configured webhook secret',
    );
  }
}

function parseEvent(rawBody: Buffer): VerifiedWebhook {
  let raw: RawJson;
  try {
    raw = RawJson.parse(rawBody.toString('utf8'));
  } catch {
    throw new WebhookRejectedError('invalid_json', 'The body is not valid JSON');
  }
  const missing: string[] = [];
  const candidate = raw.value as Record<string, unknown> | null;
  if (candidate === null || typeof candidate !== 'object' || Array.isArray(candidate)) {
    throw new WebhookRejectedError('not_a_stripe_event', 'The body is not a Stripe Event object');
  }
  if (typeof candidate.id !== 'string' || candidate.id === '') missing.push('"id"');
  if (typeof candidate.type !== 'string' || candidate.type === '') missing.push('"type"');
  if (candidate.object !== 'event') missing.push('"object": "event"');
  if (missing.length) {
    throw new WebhookRejectedError(
      'not_a_stripe_event',
      `The body is not a Stripe Event object: missing ${missing.join(', ')}`,
    );
  }
  return { event: candidate as StripeEventPayload, raw };
}
