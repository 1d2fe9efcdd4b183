import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Locator, Page } from 'playwright-core';
import type Stripe from 'stripe';
import { DataSource } from 'typeorm';
import { type CustomerRecordView, platformCustomerId, recordStripeSyncRetry } from '@ledgerline/read-models';
import { sendWebhook } from '../../api/test/commands/stripe-sync-story';
import { bearer, type ConsoleTestbed, startConsoleTestbed } from './console-testbed';
import { SubscriptionStory } from './subscriptions-story';

/** Waits until the locator shows text matching `text` (the page updates after the read model does). */
async function see(locator: Locator, text: string | RegExp): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor({ timeout: 15_000 });
}

const PAUSED = 'Waiting: the outbound sync to Stripe is paused (no STRIPE_API_KEY)';

/**
 * Issue 28, as a support team meets it: the outbound sync paused (no STRIPE_API_KEY), so what the
 * platform asks of Stripe waits; a refund one agent asked for shows to the next; search finds a
 * customer however it is typed.
 */
describe('console: the support desk with the outbound sync paused', () => {
  let bed: ConsoleTestbed;
  let story: SubscriptionStory;
  let pia: Stripe.Customer;
  let chargeId: string;

  beforeAll(async () => {
    // No Stripe key: the outbound sync is paused; webhooks still come in.
    bed = await startConsoleTestbed({ STRIPE_API_KEY: '' });
    story = new SubscriptionStory(bed);
    pia = await story.stripeCustomer('Pia Ørsted Johnson', 'pia@pending.example');
    await bed.stripe.customers.createSource(pia.id, { source: 'tok_visa' });
    const charge = await bed.stripe.charges.create({ amount: 999, currency: 'usd', customer: pia.id });
    // The local Stripe server leaves a charge's customer out: Stripe names it.
    await sendWebhook(bed.api.app.getHttpServer(), 'charge.succeeded', { ...charge, customer: pia.id });
    chargeId = charge.id;
    await story.get<{ data: unknown[] }>(`/customers/${pia.id}/payments`, (body) => body.data.length === 1);
  }, 180_000);
  afterAll(async () => bed?.close());

  const piaId = () => platformCustomerId(pia.id, null);

  it('says the outbound sync is paused where a started subscription waits, instead of "in a moment"', async () => {
    const price = await story.price('Paused Box', 1500);
    const started = (
      await bed
        .http()
        .post('/subscriptions')
        .set('Authorization', bearer('support'))
        .send({ customerId: piaId(), priceId: price.id, collection: 'send_invoice' })
        .expect(201)
    ).body as { id: string };
    const page = await bed.signedIn('support');
    await page.goto(`/console/subscriptions/${started.id}`);
    await see(page.getByTestId('stripe-sync'), PAUSED);
    expect(await page.getByText('Waiting for Stripe to confirm').count()).toBe(0);
  });

  it('shows a refund one agent asked for to a second one: what is left to refund, and the refund pending', async () => {
    const payments = (page: Page) => page.getByRole('table', { name: 'Payments' });
    const first = await bed.signedIn('support');
    await first.goto(`/console/customers/${piaId()}?tab=payments`);
    // A second agent whose page was loaded before the refund below.
    const stale = await bed.signedIn('support');
    await stale.goto(`/console/customers/${piaId()}?tab=payments`);
    await stale.getByRole('button', { name: `Refund ${chargeId}` }).waitFor();
    await first.getByRole('button', { name: `Refund ${chargeId}` }).click();
    const firstDialog = first.getByRole('dialog', { name: 'Refund payment' });
    await see(firstDialog, 'Refundable: $9.99');
    await firstDialog.getByLabel(/Amount/).fill('4');
    await firstDialog.getByRole('button', { name: 'Refund', exact: true }).click();
    await see(payments(first).getByRole('status'), 'Refund of $4.00 requested');
    // The page loaded before it, not reloaded: the dialog still offers only what is left.
    await stale.getByRole('button', { name: `Refund ${chargeId}` }).click();
    await see(stale.getByRole('dialog', { name: 'Refund payment' }).getByTestId('refundable'), '$5.99');

    // A second agent, another session: the refund Stripe has not confirmed yet counts.
    const second = await bed.signedIn('support');
    await second.goto(`/console/customers/${piaId()}?tab=payments`);
    await see(payments(second), '$4.00 pending');
    await second.getByRole('button', { name: `Refund ${chargeId}` }).click();
    const dialog = second.getByRole('dialog', { name: 'Refund payment' });
    await see(dialog.getByTestId('refundable'), '$5.99');
    await see(dialog.getByRole('list', { name: 'Pending refunds' }), /\$4\.00 requested by .*paused/);
    await dialog.getByLabel(/Amount/).fill('9.99');
    await dialog.getByRole('button', { name: 'Refund', exact: true }).click();
    await see(dialog, '$9.99 is more than the $5.99 left to refund');
  });

  it.each([
    ['every word in any order', 'johnson pia'],
    ['without the ø', 'orsted'],
    ['by its Stripe id', 'STRIPE_ID'],
    ['by its platform id', 'PLATFORM_ID'],
  ])('finds the customer %s', async (_how, typed) => {
    const text = typed === 'STRIPE_ID' ? pia.id : typed === 'PLATFORM_ID' ? piaId() : typed;
    const page = await bed.signedIn('support');
    await page.goto(`/console/customers?q=${encodeURIComponent(text)}`);
    await see(page.getByRole('table', { name: 'Customers' }), 'Pia Ørsted Johnson');
  });

  it('says in the customer’s header that an edit waits while paused, and that it is retried once a worker retries it', async () => {
    const page = await bed.signedIn('support');
    await page.goto(`/console/customers/${piaId()}/edit`);
    await page.getByLabel('Phone').fill('+1 555 0100');
    await page.getByRole('button', { name: 'Save changes' }).click();
    const note = page.getByRole('region', { name: 'Customer' }).getByTestId('stripe-sync');
    await see(note, PAUSED);

    // A worker with a key retrying the edit records it as it does (stripe_sync_attempts): what the
    // header says then, after its next refresh.
    const { stripeSync } = await story.get<CustomerRecordView>(`/customers/${piaId()}`);
    expect(stripeSync).toMatchObject({ state: 'paused', commandEventType: 'CustomerDetailsChanged' });
    await recordStripeSyncRetry(bed.api.app.get(DataSource), stripeSync!.commandEventId, {
      attempt: 3,
      reason: '429 rate limit',
      delayMs: 120_000,
    });
    await page.reload();
    await see(note, /^Retrying \(attempt 3\) · 429 rate limit · next try in \d+ s\.$/);
  });

  it('shows the admin the outbound sync paused, and the commands waiting, on the Operations page', async () => {
    const page = await bed.signedIn('admin');
    await page.goto('/console/operations');
    const card = page.locator('#outbound-sync');
    await see(card.getByTestId('outbound-status'), 'Paused: STRIPE_API_KEY is not set');
    // The subscription started, the refund asked for and the customer edit above wait; the edit is being retried.
    await see(card, /Waiting\s*[3-9]/);
    await see(card, /Retrying\s*1/);
    await see(
      card.getByRole('table', { name: 'Commands being retried' }).getByRole('row'),
      /CustomerDetailsChanged.*Retrying \(attempt 3\) · 429 rate limit · next try in \d+ s/,
    );
  });

  it('threw no errors in any page', () => {
    expect(bed.pageErrors).toEqual([]);
  });
});
