import Stripe from 'stripe';
import { jsonDepthExceeds, MAX_JSON_DEPTH, MAX_STREAM_NAME_LENGTH, RawJson } from '@ledgerline/event-store';
import type { StripeEventPayload } from './stripe-event-payload';
import { routeStripeEvent } from './stripe-event-routing';

export type { StripeEventPayload } from './stripe-event-payload';

export const DEFAULT_TOLERANCE_SECONDS = 300;

/**
 * The longest identifier Stripe makes (the event's `id`, `account`, `type`, and `data.object.object`)
 * a webhook may carry: Stripe's are a prefix and a few dozen characters, and a longer one cannot come
 * from Stripe. An object's own id can be chosen by Stripe's users (coupons, plans, products): it is
 * refused only when it makes a stream name longer than the store takes (decision 0018).
 */
export const MAX_STRIPE_ID_LENGTH = 255;

export type RejectionReason =
  | 'no_secret_configured'
  | 'missing_signature'
  | 'malformed_signature'
  | 'signature_mismatch'
  | 'timestamp_outside_tolerance'
  | 'invalid_json'
  | 'not_a_stripe_event'
  | 'payload_too_large'
  | 'payload_too_deep'
  | 'identifier_too_long';

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

/**
 * Checks a webhook the way Stripe specifies, with the official SDK, against every configured
 * secret (rotation keeps two; Connect endpoints have their own), then parses the body once.
 */
export class WebhookVerifier {
  constructor(
    private readonly secrets: readonly string[],
    private readonly toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
  ) {}

  /**
   * The verified event, and its body as RawJson so the store keeps the exact bytes Stripe signed.
   * Also refused, though signed: a timestamp further in the future than the tolerance, a body nested
   * deeper than MAX_JSON_DEPTH, identifiers longer than Stripe's or than a stream name holds (decision 0018).
   */
  verify(rawBody: Buffer, signature: string | undefined): VerifiedWebhook {
    if (this.secrets.length === 0) {
      throw new WebhookRejectedError(
        'no_secret_configured',
        'No webhook signing secret is configured (set STRIPE_WEBHOOK_SECRETS): the webhook cannot be verified',
      );
    }
    if (!signature) throw new WebhookRejectedError('missing_signature', 'Missing Stripe-Signature header');
    this.checkSignature(rawBody, signature);
    const verified = parseEvent(rawBody);
    checkShape(verified);
    return verified;
  }

  private checkSignature(rawBody: Buffer, signature: string): void {
    const failures: string[] = [];
    for (const secret of this.secrets) {
      try {
        Stripe.webhooks.signature!.verifyHeader(rawBody, signature, secret, this.toleranceSeconds);
        this.checkNotInTheFuture(signature);
        return;
      } catch (error) {
        if (error instanceof WebhookRejectedError) throw error;
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

  /**
   * The SDK only bounds a timestamp's age: one signed an hour ahead would pass it. Stripe stamps
   * each delivery attempt as it sends it, so a timestamp ahead of this clock by more than the
   * tolerance is as suspect as one behind it. Read as the SDK reads it (the last `t=`, parseInt),
   * after the SDK has checked that the signature covers it.
   */
  private checkNotInTheFuture(signature: string): void {
    let timestamp = Number.NaN;
    for (const item of signature.split(',')) {
      const [key, value] = item.split('=');
      if (key === 't') timestamp = parseInt(value ?? '', 10);
    }
    if (this.toleranceSeconds > 0 && timestamp - Math.floor(Date.now() / 1000) > this.toleranceSeconds) {
      throw new WebhookRejectedError(
        'timestamp_outside_tolerance',
        `Stripe-Signature timestamp is outside the ${this.toleranceSeconds} s tolerance (it is in the future)`,
      );
    }
  }
}

/**
 * What no Stripe event can be, refused with a 400 naming it: nesting deeper than the store takes
 * (Stripe's objects nest about ten levels, metadata is flat), identifiers longer than Stripe makes,
 * and an object id that makes a stream name longer than the store takes. Text is never a reason:
 * see toStoreEvent.
 */
function checkShape({ event, raw }: VerifiedWebhook): void {
  if (jsonDepthExceeds(raw.value, MAX_JSON_DEPTH)) {
    throw new WebhookRejectedError(
      'payload_too_deep',
      `The body nests deeper than ${MAX_JSON_DEPTH} levels of objects and arrays; no Stripe event does`,
    );
  }
  const object = event.data?.object;
  const identifiers: [string, unknown][] = [
    ['id', event.id],
    ['type', event.type],
    ['account', event.account],
    ['data.object.object', object?.object],
  ];
  for (const [field, value] of identifiers) {
    if (typeof value === 'string' && value.length > MAX_STRIPE_ID_LENGTH) {
      throw new WebhookRejectedError(
        'identifier_too_long',
        `"${field}" is ${value.length} characters long; a Stripe identifier is at most ${MAX_STRIPE_ID_LENGTH}`,
      );
    }
  }
  const { stream, objectId } = routeStripeEvent(event);
  if (stream.length > MAX_STREAM_NAME_LENGTH) {
    const made = `makes a stream name of ${stream.length} characters, and the store takes at most ${MAX_STREAM_NAME_LENGTH}`;
    throw new WebhookRejectedError(
      'identifier_too_long',
      objectId === null
        ? `"type" with "account" ${made}`
        : `"data.object.id" is ${objectId.length} characters long: with the object's type and account it ${made}`,
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
