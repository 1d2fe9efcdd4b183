import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { eventually, postWebhook } from '@ledgerline/testing';
import { catalogPrice, WEBHOOK_SECRET } from '../../api/test/commands/stripe-sync-story';
import { bearer, type ConsoleTestbed, screenshot, startConsoleTestbed } from './console-testbed';

/** The picker's value for an instant, in this machine's local time (the browser runs here too). */
function localInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(
    date.getMinutes(),
  )}:${pad(date.getSeconds())}`;
}

const nextSecond = () => new Promise((resolve) => setTimeout(resolve, 1_100));

describe('console: a record’s history and the record as of a date', () => {
  let bed: ConsoleTestbed;
  let customerId: string;
  let subscriptionId: string;
  let beforeAnything: Date;
  let afterRegistering: Date;
  let afterStarting: Date;

  const waitFor = async (path: string, check: (body: Record<string, unknown>) => boolean, what: string) =>
    eventually(
      async () => {
        const response = await bed.http().get(path).set('Authorization', bearer('support'));
        return response.status === 200 && check(response.body as Record<string, unknown>);
      },
      15_000,
      what,
    );

  beforeAll(async () => {
    bed = await startConsoleTestbed();
    beforeAnything = new Date();
    await nextSecond();
    const registered = await bed
      .http()
      .post('/customers')
      .set('Authorization', bearer('support'))
      .send({ firstName: 'Mary', lastName: 'Jackson', email: 'mary@langley.example', phone: '+1 555 0101' })
      .expect(201);
    customerId = (registered.body as { id: string }).id;
    await waitFor(`/customers/${customerId}`, (c) => c.email === 'mary@langley.example', 'the new customer');
    const price = await catalogPrice(bed.api.app.getHttpServer(), bed.stripe, 2_500);
    const started = await bed
      .http()
      .post('/subscriptions')
      .set('Authorization', bearer('support'))
      .send({ customerId, priceId: price.id, collection: 'send_invoice', shipmentsRemaining: 6 })
      .expect(201);
    subscriptionId = (started.body as { id: string }).id;
    await waitFor(`/subscriptions/${subscriptionId}`, (s) => s.shipmentsRemaining === 6, 'the new subscription');
    afterRegistering = afterStarting = new Date();
    await nextSecond();
    await bed
      .http()
      .patch(`/customers/${customerId}`)
      .set('Authorization', bearer('support'))
      .set('X-Request-Id', 'ticket-881')
      .send({ email: 'mary.jackson@nasa.example', phone: null })
      .expect(200);
    await bed
      .http()
      .patch(`/subscriptions/${subscriptionId}`)
      .set('Authorization', bearer('support'))
      .send({ shipmentsRemaining: 2 })
      .expect(200);
    await waitFor(`/customers/${customerId}`, (c) => c.email === 'mary.jackson@nasa.example', 'the edit');
    await waitFor(`/subscriptions/${subscriptionId}`, (s) => s.shipmentsRemaining === 2, 'the shipments edit');
  }, 180_000);
  afterAll(async () => bed?.close());

  const rowOf = (page: Page, field: string) =>
    page.getByRole('table', { name: 'Record then and now' }).getByRole('row').filter({ hasText: field });

  it('lists the customer’s audit trail with who did what, newest first and oldest first', async () => {
    const page = await bed.signedIn('support');
    await page.goto(`/console/customers/${customerId}/history`);
    const trail = page.getByRole('table', { name: 'Audit entries' });
    await trail.getByText('CustomerDetailsChanged').waitFor();
    const rows = trail.getByRole('row');
    // Newest first: the edit above the registration, both by the support key, with the ticket.
    const texts = await rows.allTextContents();
    const edit = texts.findIndex((t) => t.includes('CustomerDetailsChanged'));
    const registration = texts.findIndex((t) => t.includes('CustomerRegistered'));
    expect(edit).toBeGreaterThan(0);
    expect(registration).toBeGreaterThan(edit);
    expect(texts[edit]).toContain('support-tester');
    expect(texts[edit]).toContain('ticket-881');
    await page.getByLabel('Order').selectOption('asc');
    await eventually(
      async () => (await rows.nth(1).textContent())?.includes('CustomerRegistered') ?? false,
      5_000,
      'oldest first',
    );
    await screenshot(page, 'customer-history');
  });

  it('shows the customer as it stood at a picked date, the changed fields marked', async () => {
    const page = await bed.signedIn('support');
    await page.goto(`/console/customers/${customerId}/history`);
    await page.getByLabel('As of (your local time)').fill(localInput(afterRegistering));
    await page.getByRole('button', { name: 'Show' }).click();
    const email = rowOf(page, 'Email');
    await expect(email.textContent()).resolves.toContain('mary@langley.example');
    expect(await email.getAttribute('data-changed')).toBe('true');
    expect(await email.textContent()).toContain('mary.jackson@nasa.example');
    expect(await rowOf(page, 'Phone').textContent()).toContain('+1 555 0101');
    expect(await rowOf(page, 'Name').getAttribute('data-changed')).toBe('false');
    await expect(page.getByRole('status').first().textContent()).resolves.toContain('2 fields changed since');
    // The instant is in the address: a reload (or a colleague given the link) sees the same.
    expect(new URL(page.url()).searchParams.get('asOf')).not.toBeNull();
    await page.reload();
    await expect(rowOf(page, 'Email').textContent()).resolves.toContain('mary@langley.example');
    await screenshot(page, 'customer-as-of');

    await page.getByLabel('As of (your local time)').fill(localInput(beforeAnything));
    await page.getByRole('button', { name: 'Show' }).click();
    await page.getByText('The customer did not exist yet').waitFor();
  });

  it('opens the record as it stood right after an audit line', async () => {
    const page = await bed.signedIn('support');
    await page.goto(`/console/customers/${customerId}/history`);
    const registration = page.getByRole('row').filter({ hasText: 'CustomerRegistered' });
    await registration.getByRole('button', { name: 'View as of this' }).click();
    await expect(rowOf(page, 'Email').textContent()).resolves.toContain('mary@langley.example');
    await page.getByRole('button', { name: 'Back to now' }).click();
    await page.getByRole('table', { name: 'Record then and now' }).waitFor({ state: 'detached' });
  });

  it('goes by one clock: the time each event was recorded, with Stripe’s older time beside it', async () => {
    // A customer Stripe has had for 70 days, recorded now (a backfill, a late webhook).
    const old = Math.floor(Date.now() / 1000) - 70 * 86_400;
    const stripeCustomer = await bed.stripe.customers.create({ name: 'Olive Oldtimer', email: 'olive@old.example' });
    await postWebhook(
      bed.api.app.getHttpServer(),
      {
        id: `evt_old_${stripeCustomer.id}`,
        object: 'event',
        type: 'customer.created',
        api_version: '2026-10-28.endive',
        created: old,
        livemode: false,
        data: { object: { ...stripeCustomer, created: old } },
      },
      WEBHOOK_SECRET,
    ).expect(200);
    let id = '';
    await waitFor(
      `/customers/${stripeCustomer.id}`,
      (c) => {
        id = c.id as string;
        return true;
      },
      'the Stripe customer',
    );
    const page = await bed.signedIn('support');
    await page.goto(`/console/customers/${id}/history`);
    const created = page
      .getByRole('table', { name: 'Audit entries' })
      .getByRole('row')
      .filter({ has: page.getByTestId('stripe-time') });
    await created.first().getByTestId('stripe-time').waitFor();
    const recorded = await created.first().getByTestId('recorded-at').textContent();
    // "View as of this" opens the instant the line shows, not another one.
    await created.first().getByRole('button', { name: 'View as of this' }).click();
    await expect(page.getByTestId('as-of-instant').textContent()).resolves.toBe(recorded);

    // Between Stripe's date and the recording: said so, with both times.
    await page.getByLabel('As of (your local time)').fill(localInput(new Date(Date.now() - 10 * 86_400_000)));
    await page.getByRole('button', { name: 'Show' }).click();
    const notice = page.getByRole('status').filter({ hasText: 'did not exist yet in Ledgerline' });
    await notice.getByText(/Stripe dates it from/).waitFor();
    expect(await notice.textContent()).toContain(`first event was recorded on ${recorded}`);
  });

  it('gives a subscription the same history: its trail and the record as of a date', async () => {
    const page = await bed.signedIn('support');
    await page.goto(`/console/subscriptions/${subscriptionId}/history`);
    const trail = page.getByRole('table', { name: 'Audit entries' });
    await trail.getByText('SubscriptionShipmentsRemainingChanged').waitFor();
    expect(await trail.getByText('SubscriptionStarted').count()).toBe(1);
    await page.getByLabel('As of (your local time)').fill(localInput(afterStarting));
    await page.getByRole('button', { name: 'Show' }).click();
    const shipments = rowOf(page, 'Shipments remaining');
    await expect(shipments.textContent()).resolves.toMatch(/Shipments remaining(▲ changed)?\s*6\s*2/);
    expect(await shipments.getAttribute('data-changed')).toBe('true');
    await screenshot(page, 'subscription-history');
    expect(bed.pageErrors).toEqual([]);
  });
});
