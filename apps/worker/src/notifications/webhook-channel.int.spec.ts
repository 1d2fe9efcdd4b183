import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { NotificationMessage } from './notification-channel';
import { type NotificationReceiver, signatureIsValid, startReceiver } from './testing/notification-receiver';
import { WebhookChannel } from './webhook-channel';

const SECRET = 'notify-secret-0123456789';
const message: NotificationMessage = {
  id: '5b0f8a52-3c1e-5d4b-9f2a-0e6c7d8b9a10',
  kind: 'charge_succeeded',
  customerId: '0b7e5d9c-1a2b-5c3d-8e4f-5a6b7c8d9e0f',
  customerStripeId: 'cus_123',
  occurredAt: '2024-03-01T10:00:00.000Z',
  subject: { objectId: 'ch_1', amount: 2000, currency: 'usd' },
};

describe('WebhookChannel', () => {
  let receiver: NotificationReceiver;
  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(async () => receiver.close());

  it('POSTs the message as JSON, signed, with the notification id as idempotency key', async () => {
    receiver.answer = () => 204;
    const result = await new WebhookChannel({ url: receiver.url, secret: SECRET }).deliver(message);
    expect(result).toEqual({ delivered: true, statusCode: 204 });
    const received = receiver.received.at(-1)!;
    expect(received.json).toEqual(message);
    expect(received.headers['content-type']).toBe('application/json');
    expect(received.headers['ledgerline-notification-id']).toBe(message.id);
    expect(signatureIsValid(received, SECRET)).toBe(true);
    expect(signatureIsValid(received, 'another-secret-0123456789')).toBe(false);
    expect(signatureIsValid({ ...received, body: received.body.replace('2000', '2001') }, SECRET)).toBe(false);
  });

  it('signs with the current time: an old timestamp fails a receiver tolerance check', async () => {
    const channel = new WebhookChannel({ url: receiver.url, secret: SECRET, now: () => Date.now() - 3_600_000 });
    await channel.deliver(message);
    expect(signatureIsValid(receiver.received.at(-1)!, SECRET)).toBe(false);
  });

  it.each([
    [500, 'HTTP 500'],
    [404, 'HTTP 404'],
    [302, 'HTTP 302'],
  ])('counts an answer %d as a failed attempt', async (status, error) => {
    receiver.answer = () => status;
    expect(await new WebhookChannel({ url: receiver.url, secret: SECRET }).deliver(message)).toEqual({
      delivered: false,
      error,
    });
  });

  it('gives up on a receiver that does not answer in time', async () => {
    receiver.answer = () => 'hang';
    const started = Date.now();
    const result = await new WebhookChannel({ url: receiver.url, secret: SECRET, timeoutMs: 200 }).deliver(message);
    expect(result).toEqual({ delivered: false, error: 'timed out after 200 ms' });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('reports a refused connection without the URL (it carries a token)', async () => {
    const closed = await startReceiver();
    await closed.close();
    const result = await new WebhookChannel({ url: closed.url, secret: SECRET }).deliver(message);
    expect(result).toEqual({ delivered: false, error: 'network error: ECONNREFUSED' });
  });
});
