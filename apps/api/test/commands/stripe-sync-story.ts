import request from 'supertest';
import type { App } from 'supertest/types';
import type Stripe from 'stripe';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '@ledgerline/event-store';
import { eventually, postWebhook, STRIPE_TEST_API_KEY, type StripeTestServer } from '@ledgerline/testing';
import { type ApiTestApp, startApiTestApp, TEST_KEYS } from '../api-test-app';

export const WEBHOOK_SECRET = 'whsec_commands_test_0123456789';
export const support = `Bearer ${TEST_KEYS.support}`;
export const admin = `Bearer ${TEST_KEYS.admin}`;

let sequence = 0;

/** Sends a Stripe object to the api as the webhook Stripe would send about it. */
export async function sendWebhook(server: App, type: string, object: object): Promise<void> {
  sequence += 1;
  const event = {
    id: `evt_cmd_${Date.now()}_${sequence}`,
    object: 'event',
    type,
    api_version: '2026-10-28.endive',
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    data: { object },
  };
  await postWebhook(server, event, WEBHOOK_SECRET).expect(200);
}

/** Waits until the read model shows the Stripe object (the projectors run in the same process). */
export async function waitForStripeObject(server: App, id: string): Promise<void> {
  await eventually(
    async () => (await request(server).get(`/stripe-objects/${id}`).set('Authorization', admin)).status === 200,
    10_000,
    `stripe object ${id} in the read model`,
  );
}

/**
 * Creates a recurring price in the Stripe server and tells the api about it by webhook; with
 * `productName`, the product is named so and announced too (so the catalog shows its name).
 */
export async function catalogPrice(
  server: App,
  stripe: Stripe,
  amount: number,
  trialDays?: number,
  productName?: string,
): Promise<Stripe.Price> {
  const product = await stripe.products.create({ name: productName ?? `Box ${amount}` });
  if (productName) await sendWebhook(server, 'product.created', product);
  const price = await stripe.prices.create({
    product: product.id,
    currency: 'usd',
    unit_amount: amount,
    recurring: { interval: 'month', ...(trialDays ? { trial_period_days: trialDays } : {}) },
  } as Stripe.PriceCreateParams);
  // stripe-stateful-mock echoes trial_period_days as a string; Stripe sends a number.
  const sent = { ...price, recurring: { ...price.recurring, trial_period_days: trialDays ?? null } };
  await sendWebhook(server, 'price.created', sent);
  await waitForStripeObject(server, price.id);
  return price;
}

/** The outcome the process manager appended for a command event (waits for it). */
export async function outcomeOf(api: ApiTestApp, stream: string, commandEventId: string): Promise<RecordedEvent> {
  const store = api.app.get<EventStore>(EVENT_STORE);
  let found: RecordedEvent | undefined;
  await eventually(
    async () => {
      found = (await store.readStream(stream)).find((e) => e.metadata.causationId === commandEventId);
      return found !== undefined;
    },
    15_000,
    `the outcome of ${commandEventId} on ${stream}`,
  );
  return found!;
}

export interface Issued {
  id: string;
  events: { eventId: string; type: string; stream: string; revision: string }[];
}

/** The api with the worker in one process, its outbound Stripe calls going to the test server. */
export function startSyncedApp(
  stripeServer: StripeTestServer,
  env: Record<string, string> = {},
  options: Parameters<typeof startApiTestApp>[2] = {},
): Promise<ApiTestApp> {
  return startApiTestApp(
    {
      STRIPE_WEBHOOK_SECRETS: WEBHOOK_SECRET,
      STRIPE_API_KEY: STRIPE_TEST_API_KEY,
      STRIPE_API_BASE: stripeServer.url,
      STRIPE_SYNC_RETRY_BASE_MS: '10',
      ...env,
    },
    true,
    options,
  );
}
