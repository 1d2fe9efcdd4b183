import type { Page, Request } from 'playwright-core';
import { EVENT_STORE, type EventStore } from '@ledgerline/event-store';
import { customerStream } from '@ledgerline/events';
import { platformCustomerId } from '@ledgerline/read-models';
import { eventually } from '@ledgerline/testing';
import { bearer, type ConsoleTestbed } from './console-testbed';
import { registerCustomer, seedStripeCustomer } from './customers-seed';
import { SubscriptionStory } from './subscriptions-story';

/** What the accessibility and phone checks, and the screenshots, open: one record of each kind. */
export interface SeededPages {
  /** Grace Hopper, told by Stripe's webhooks: every tab has rows, a payment to refund. */
  grace: string;
  /** Ada Lovelace, registered on the platform, her phone changed since: the record to edit, delete, view as of. */
  ada: string;
  /** An instant before Ada's phone changed. */
  adaBefore: string;
  /** An active subscription with a paid invoice (Cancel, Refund). */
  subscription: string;
  /** A finished reconciliation run. */
  run: string;
}

/** Seeds the records the pages show (about a minute: the worker and the read models catch up). */
export async function seedConsolePages(bed: ConsoleTestbed): Promise<SeededPages> {
  await seedStripeCustomer(bed);
  const grace = platformCustomerId('cus_story', null);
  const ada = await registerCustomer(bed, {
    firstName: 'Ada',
    lastName: 'Lovelace',
    email: 'ada@analytical.example',
    phone: '+44 20 7946 0958',
    address: { line1: '12 St James Square', city: 'London', postalCode: 'SW1Y 4JH', country: 'GB' },
  });
  // An instant after all the store recorded of Ada so far, and before her change (the as-of cut).
  const recorded = await bed.api.app.get<EventStore>(EVENT_STORE).readStream(customerStream(ada));
  await clockPast(Math.max(...recorded.map((event) => Date.parse(event.metadata.recordedAt!))));
  const adaBefore = new Date().toISOString();
  await clockPast(Date.parse(adaBefore));
  await bed
    .http()
    .patch(`/customers/${ada}`)
    .set('Authorization', bearer('support'))
    .send({ phone: '+44 20 7946 0000' })
    .expect((response) => {
      if (response.status >= 300) throw new Error(`PATCH ${response.status}: ${JSON.stringify(response.body)}`);
    });
  await eventually(
    async () => {
      const response = await bed.http().get(`/customers/${ada}`).set('Authorization', bearer('support'));
      return (response.body as { phone?: string }).phone === '+44 20 7946 0000';
    },
    15_000,
    "Ada's new phone",
  );

  const story = new SubscriptionStory(bed);
  const price = await story.price('Coffee beans, monthly', 2_500);
  const katherine = await story.customer('Katherine', 'Johnson', { email: 'katherine@langley.example', card: true });
  const subscription = await story.subscription(katherine.id, price.id);
  await story.paidInvoice(katherine.stripeId, subscription.stripeId, 2_500);

  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const today = new Date().toISOString().slice(0, 10);
  const started = await bed
    .http()
    .post('/reconciliation/runs')
    .set('Authorization', bearer('finance'))
    .send({ from: yesterday, to: today })
    .expect(202);
  const run = (started.body as { id: string }).id;
  await eventually(
    async () => {
      const response = await bed.http().get(`/reconciliation/runs/${run}`).set('Authorization', bearer('finance'));
      return (response.body as { status?: string }).status === 'done';
    },
    30_000,
    'the reconciliation run',
  );
  return { grace, ada, adaBefore, subscription: subscription.id, run };
}

/** Waits until this process's clock is past `instant` (ms), which the store's clock then is too (one machine). */
function clockPast(instant: number): Promise<void> {
  return eventually(async () => Date.now() > instant, 5_000, `the clock past ${new Date(instant).toISOString()}`);
}

export interface ConsolePage {
  /** Its name, also the screenshot's file name. */
  name: string;
  /** Under /console. */
  path: string;
}

export const CUSTOMER_TABS = [
  ['subscriptions', 'Subscriptions'],
  ['addresses', 'Addresses'],
  ['payments', 'Payments'],
  ['payment-methods', 'Payment methods'],
  ['invoices', 'Invoices'],
  ['activity', 'Activity'],
  ['notifications', 'Notifications'],
  ['access', 'Access'],
] as const;

/** Every page of the console an admin can open, on the seeded records. */
export function consolePages(seeded: SeededPages): ConsolePage[] {
  return [
    { name: 'customers-search', path: '/customers' },
    ...CUSTOMER_TABS.map(([tab]) => ({ name: `customer-${tab}`, path: `/customers/${seeded.grace}?tab=${tab}` })),
    { name: 'customer-new', path: '/customers/new' },
    { name: 'customer-edit', path: `/customers/${seeded.ada}/edit` },
    { name: 'customer-history', path: `/customers/${seeded.ada}/history` },
    {
      name: 'customer-as-of',
      path: `/customers/${seeded.ada}/history?asOf=${encodeURIComponent(seeded.adaBefore)}`,
    },
    { name: 'subscriptions-search', path: '/subscriptions' },
    { name: 'subscription-start', path: '/subscriptions/new' },
    { name: 'subscription', path: `/subscriptions/${seeded.subscription}` },
    { name: 'subscription-history', path: `/subscriptions/${seeded.subscription}/history` },
    { name: 'reconciliation-runs', path: '/reconciliation' },
    { name: 'reconciliation-run', path: `/reconciliation/${seeded.run}` },
    { name: 'operations', path: '/operations' },
  ];
}

/** Opens a page in the signed-in tab and waits until it has loaded what it shows. */
export async function openConsolePage(page: Page, path: string): Promise<void> {
  requestsInFlight(page);
  await page.goto(`/console${path}`);
  await settle(page);
}

/**
 * Waits until the page shows what it loaded: its content drawn, no request in flight, no "Loading…",
 * and still so two frames later (the render of one answer may start the next request). Not
 * Playwright's `networkidle`, which waits a fixed 500 ms after the last request of every page.
 */
export async function settle(page: Page): Promise<void> {
  const requests = requestsInFlight(page);
  const quiet = async () =>
    requests.size === 0 &&
    (await page.locator('#content').count()) === 1 &&
    (await page.locator('[aria-busy="true"]').count()) === 0;
  const twoFrames = 'new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))';
  await eventually(
    async () => (await quiet()) && (await page.evaluate(twoFrames), await quiet()),
    10_000,
    `${page.url()} loaded`,
  );
}

const inFlight = new WeakMap<Page, Set<Request>>();

/** The page's requests not yet answered, counted from the first time it is asked for. */
function requestsInFlight(page: Page): Set<Request> {
  let requests = inFlight.get(page);
  if (!requests) {
    const pending = new Set<Request>();
    page.on('request', (request) => pending.add(request));
    page.on('requestfinished', (request) => pending.delete(request));
    page.on('requestfailed', (request) => pending.delete(request));
    inFlight.set(page, pending);
    requests = pending;
  }
  return requests;
}
