import { expect } from '@jest/globals';
import type { Page } from 'playwright-core';
import { eventually, loadObjectFixture, postWebhook } from '@ledgerline/testing';
import { supportStory } from '../../api/test/support-story';
import { WEBHOOK_SECRET } from '../../api/test/commands/stripe-sync-story';
import { bearer, type ConsoleTestbed } from './console-testbed';

export interface NewCustomer {
  firstName: string;
  lastName: string;
  email?: string;
  phone?: string;
  address?: { line1: string; city?: string; postalCode?: string; country: string };
}

/** Registers a customer through the API and waits until searches find it; answers its id. */
export async function registerCustomer(bed: ConsoleTestbed, customer: NewCustomer): Promise<string> {
  const created = await bed.http().post('/customers').set('Authorization', bearer('support')).send(customer);
  expect(created.status).toBe(201);
  const id = (created.body as { id: string }).id;
  // Searchable, and linked to the customer the worker created for it in Stripe (the test server).
  await eventually(
    async () => {
      const found = await bed
        .http()
        .get('/customers')
        .query({ q: customer.lastName })
        .set('Authorization', bearer('support'));
      const listed = (found.body as { data: { id: string; stripeIds: string[] }[] }).data.find((c) => c.id === id);
      return listed !== undefined && listed.stripeIds.length > 0;
    },
    15_000,
    `${customer.firstName} ${customer.lastName} in the search, linked to Stripe`,
  );
  return id;
}

/**
 * Grace Hopper's life as Stripe tells it in webhooks (apps/api/test/support-story.ts: a cancelled
 * subscription, three invoices, a charge partly refunded and disputed, two cards expiring this
 * month), plus a card that runs for years yet, which must not be marked.
 */
export async function seedStripeCustomer(bed: ConsoleTestbed): Promise<void> {
  const server = bed.api.app.getHttpServer();
  for (const event of supportStory()) await postWebhook(server, event, WEBHOOK_SECRET).expect(200);
  const later = new Date().getUTCFullYear() + 3;
  const lasting = {
    ...loadObjectFixture('payment_method'),
    id: 'pm_lasting',
    customer: 'cus_story',
    card: { brand: 'mastercard', last4: '5454', exp_month: 6, exp_year: later, funding: 'credit', country: 'US' },
  };
  const event = {
    id: 'evt_story_lasting',
    object: 'event',
    type: 'payment_method.attached',
    created: Math.floor(Date.now() / 1000),
    api_version: '2024-06-20',
    livemode: false,
    data: { object: lasting },
  };
  await postWebhook(server, event, WEBHOOK_SECRET).expect(200);
  const count = async (tab: string) => {
    const response = await bed.http().get(`/customers/cus_story/${tab}`).set('Authorization', bearer('support'));
    return response.status === 200 ? (response.body as { data: unknown[] }).data.length : 0;
  };
  await eventually(
    async () =>
      (await count('payment-methods')) === 3 &&
      (await count('invoices')) === 3 &&
      (await count('payments')) === 1 &&
      (await count('subscriptions')) === 1 &&
      (await count('activity?limit=100')) >= 17 &&
      (await count('notifications')) >= 7 &&
      (await count('access')) === 2,
    20_000,
    "Grace Hopper's tabs in the read models",
  );
}

/** Polls what the page shows until it equals `expected` (or the time is up, failing with both). */
export async function until<T>(read: () => Promise<T>, expected: T, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let actual = await read();
  while (JSON.stringify(actual) !== JSON.stringify(expected) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    actual = await read();
  }
  expect(actual).toEqual(expected);
}

/** The names listed in the search results. */
export function resultNames(page: Page): Promise<string[]> {
  return page.getByRole('table', { name: 'Customers' }).locator('tbody tr td:first-child a').allTextContents();
}

/** The text of each body row of a table (by its aria-label), cells joined by " | ". */
export async function rowsOf(page: Page, table: string): Promise<string[]> {
  // A string, evaluated in the page: the tests are compiled without the DOM's types.
  const rows = await page.evaluate(
    `[...document.querySelectorAll(${JSON.stringify(`table[aria-label="${table}"] tbody tr`)})]
      .map((row) => [...row.cells].map((cell) => cell.textContent.trim()).join(' | '))`,
  );
  return rows as string[];
}

/** The class names of each body row of a table (to see which are marked). */
export async function rowClassesOf(page: Page, table: string): Promise<string[]> {
  const classes = await page.evaluate(
    `[...document.querySelectorAll(${JSON.stringify(`table[aria-label="${table}"] tbody tr`)})].map((row) => row.className)`,
  );
  return classes as string[];
}
