import { describe, expect, it } from '@jest/globals';
import { MAX_JSON_DEPTH, RawJson } from '@ledgerline/event-store';
import { signWebhook } from '@ledgerline/testing';
import { toStoreEvent } from './stripe-event-envelope';
import { eventIdForStripeEvent, routeStripeEvent } from './stripe-event-routing';
import {
  MAX_STRIPE_ID_LENGTH,
  type StripeEventPayload,
  WebhookRejectedError,
  WebhookVerifier,
} from './webhook-verifier';

/** Decision 0018: what of a signed webhook is refused (its time, its shape), and how its text is stored. */
const SECRET = 'whsec_unit_0123456789abcdef';
const verifier = new WebhookVerifier([SECRET]);
const now = () => Math.floor(Date.now() / 1000);

function event(changes: Record<string, unknown> = {}, object: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'evt_1',
    object: 'event',
    type: 'customer.created',
    created: 1_760_000_000,
    data: { object: { id: 'cus_1', object: 'customer', name: 'Ada', ...object } },
    ...changes,
  };
}

function verify(body: string, timestamp = now()) {
  return verifier.verify(Buffer.from(body), signWebhook(body, SECRET, timestamp));
}

function refusal(body: string, timestamp?: number): WebhookRejectedError {
  try {
    verify(body, timestamp);
  } catch (error) {
    if (error instanceof WebhookRejectedError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

/** `levels` objects nested in one another, as JSON text. */
const nested = (levels: number) => `${'{"n":'.repeat(levels - 1)}{}${'}'.repeat(levels - 1)}`;

describe('WebhookVerifier: signed, but not a Stripe event', () => {
  it('refuses a timestamp further in the future than the tolerance, and takes one within it', () => {
    const body = JSON.stringify(event());
    expect(refusal(body, now() + 3_600)).toMatchObject({
      reason: 'timestamp_outside_tolerance',
      message: expect.stringContaining('outside the 300 s tolerance (it is in the future)'),
    });
    expect(refusal(body, now() + 301).reason).toBe('timestamp_outside_tolerance');
    expect(verify(body, now() + 60).event.id).toBe('evt_1');
    expect(refusal(body, now() - 301).reason).toBe('timestamp_outside_tolerance');
    // The signature is still the SDK's to check, and is checked first.
    const forged = `t=${now() + 3_600},v1=${'0'.repeat(64)}`;
    expect(() => verifier.verify(Buffer.from(body), forged)).toThrow(/does not match/);
  });

  it('reads the timestamp as the SDK does: the last t= of the header', () => {
    const body = JSON.stringify(event());
    const header = signWebhook(body, SECRET, now() + 3_600);
    // A second, earlier t= in front changes nothing: the SDK signs and checks the last one.
    expect(() => verifier.verify(Buffer.from(body), `t=${now()},${header}`)).toThrow(/in the future/);
  });

  it(`refuses a body nested deeper than ${MAX_JSON_DEPTH} levels, and takes one exactly that deep`, () => {
    // The event is level 1, data 2, data.object 3, its metadata 4.
    const withMetadata = (levels: number) =>
      JSON.stringify(event({}, { metadata: '@@' })).replace('"@@"', nested(levels));
    expect(refusal(withMetadata(MAX_JSON_DEPTH - 2))).toMatchObject({
      reason: 'payload_too_deep',
      message: `The body nests deeper than ${MAX_JSON_DEPTH} levels of objects and arrays; no Stripe event does`,
    });
    expect(refusal(withMetadata(10_000)).reason).toBe('payload_too_deep');
    expect(refusal(`[${nested(MAX_JSON_DEPTH)}]`).reason).toBe('not_a_stripe_event');
    expect(verify(withMetadata(MAX_JSON_DEPTH - 3)).event.id).toBe('evt_1');
  });

  it.each([
    ['id', event({ id: `evt_${'1'.repeat(MAX_STRIPE_ID_LENGTH)}` })],
    ['type', event({ type: `customer.${'x'.repeat(MAX_STRIPE_ID_LENGTH)}` })],
    ['account', event({ account: `acct_${'1'.repeat(MAX_STRIPE_ID_LENGTH)}` })],
    ['data.object.id', event({}, { id: `cus_${'x'.repeat(100 * 1024)}` })],
    ['data.object.id', event({ type: 'coupon.created' }, { object: 'coupon', id: 'x'.repeat(1_000) })],
    ['data.object.object', event({}, { object: 'x'.repeat(MAX_STRIPE_ID_LENGTH + 1) })],
  ])('refuses a %s longer than any Stripe identifier, naming it', (field, payload) => {
    const error = refusal(JSON.stringify(payload));
    expect(error.reason).toBe('identifier_too_long');
    expect(error.message).toMatch(new RegExp(`^"${field.replace('.', '\\.')}" is \\d+ characters long`));
  });

  it('takes an object id as long as the stream name holds, and refuses a longer one naming it', () => {
    // `stripe_customer-` and the id: 512 characters at most.
    const id = (length: number) => `cus_${'x'.repeat(length - 4)}`;
    expect(verify(JSON.stringify(event({}, { id: id(496) }))).event.id).toBe('evt_1');
    expect(refusal(JSON.stringify(event({}, { id: id(497) })))).toMatchObject({
      reason: 'identifier_too_long',
      message:
        '"data.object.id" is 497 characters long: with the object\'s type and account it makes a stream name of ' +
        '513 characters, and the store takes at most 512',
    });
    const connect = event({ account: `acct_${'1'.repeat(MAX_STRIPE_ID_LENGTH - 5)}` }, { id: id(300) });
    expect(refusal(JSON.stringify(connect)).message).toContain('"data.object.id" is 300 characters long');
    // Without an object id, the stream is named by the account and the event type.
    const objectless = {
      ...event({ type: `balance.${'x'.repeat(MAX_STRIPE_ID_LENGTH - 8)}`, account: `acct_${'1'.repeat(250)}` }),
      data: { object: { object: 'balance' } },
    };
    expect(refusal(JSON.stringify(objectless)).message).toMatch(/^"type" with "account" makes a stream name of 529/);
  });

  it('never refuses text: a NUL or a lone surrogate in ids, type and values is a Stripe event', () => {
    const payload = event({ id: 'evt_\u0000', account: 'acct_\ud800' }, { id: 'cus_\udc00', name: 'A\u0000' });
    expect(verify(JSON.stringify(payload)).event.id).toBe('evt_\u0000');
  });
});

describe('toStoreEvent: text PostgreSQL cannot hold (decision 0018)', () => {
  it('keeps the body verbatim, and records what readers will read as U+FFFD and where', () => {
    const body = JSON.stringify(
      event(
        { id: 'evt_\u0000x', account: 'acct_\ud800', type: 'customer.\u0000' },
        { id: 'cus_\udc00', name: 'A\u0000' },
      ),
    );
    const raw = RawJson.parse(body);
    const stored = toStoreEvent(raw.value as StripeEventPayload, raw);
    expect(stored.data).toBe(raw);
    expect(stored.type).toBe('customer.\uFFFD');
    expect(stored.id).toBe(eventIdForStripeEvent('evt_\uFFFDx'));
    expect(stored.id).toBe(eventIdForStripeEvent('evt_\u0000x'));
    expect(stored.metadata).toMatchObject({
      stripeEventId: 'evt_\uFFFDx',
      stripeAccount: 'acct_\uFFFD',
      textRepair: {
        replaced: 5,
        places: 5,
        paths: ['id', 'type', 'data.object.id', 'data.object.name', 'account'],
      },
    });
    expect(routeStripeEvent(raw.value as StripeEventPayload).stream).toBe('stripe_customer-acct_\uFFFD-cus_\uFFFD');
  });

  it('records nothing, and walks nothing, for a body without an escape that could stand for such text', () => {
    const body = JSON.stringify(event({}, { name: 'Ada 😀 \u0001 \\u0000 as text' }));
    const raw = RawJson.parse(body);
    expect(toStoreEvent(raw.value as StripeEventPayload, raw).metadata.textRepair).toBeUndefined();
  });

  it('records it for an event without a body too (a backfilled object)', () => {
    const payload = event({ id: 'evt_backfill_1' }, { name: 'A\ud800' }) as unknown as StripeEventPayload;
    expect(toStoreEvent(payload, undefined, 'backfill').metadata.textRepair).toEqual({
      replaced: 1,
      places: 1,
      paths: ['data.object.name'],
    });
  });
});
