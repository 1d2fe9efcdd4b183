import type Stripe from 'stripe';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '@ledgerline/event-store';
import { eventually } from '@ledgerline/testing';
import {
  catalogPrice,
  type Issued,
  outcomeOf,
  sendWebhook,
  waitForStripeObject,
} from '../../api/test/commands/stripe-sync-story';
import { bearer, type ConsoleTestbed } from './console-testbed';

type Json = Record<string, unknown>;

/**
 * Sets up what the subscription pages show, the way it happens in production: platform commands
 * through the API (carried out on the local Stripe server by the worker), and Stripe's webhooks
 * about the objects it then holds (the Stripe server sends none itself, so they are sent here).
 */
export class SubscriptionStory {
  constructor(private readonly bed: ConsoleTestbed) {}

  private server() {
    return this.bed.api.app.getHttpServer();
  }

  private get stripe(): Stripe {
    return this.bed.stripe;
  }

  /** GET with the support key until `until` holds (the read models catch up in the background). */
  async get<T = Json>(path: string, until: (body: T) => boolean = () => true): Promise<T> {
    let body: T | undefined;
    await eventually(
      async () => {
        const response = await this.bed.http().get(path).set('Authorization', bearer('support'));
        body = response.body as T;
        return response.status === 200 && until(body);
      },
      15_000,
      `GET ${path}`,
    );
    return body!;
  }

  /** A named product and a monthly price of it, known to Stripe and to the api. */
  price(productName: string, amount: number, trialDays?: number): Promise<Stripe.Price> {
    return catalogPrice(this.server(), this.stripe, amount, trialDays, productName);
  }

  /** A coupon known to Stripe and to the api's catalog. */
  async coupon(id: string, terms: Omit<Stripe.CouponCreateParams, 'id'>): Promise<void> {
    const coupon = await this.stripe.coupons.create({ id, ...terms });
    await sendWebhook(this.server(), 'coupon.created', coupon);
    await waitForStripeObject(this.server(), id);
  }

  /** A customer registered on the platform, linked to Stripe, optionally with a default card. */
  async customer(
    firstName: string,
    lastName: string,
    options: { email?: string; card?: boolean } = {},
  ): Promise<{ id: string; stripeId: string }> {
    const created = (
      await this.bed
        .http()
        .post('/customers')
        .set('Authorization', bearer('support'))
        .send({ firstName, lastName, email: options.email })
        .expect(201)
    ).body as Issued;
    const linked = await outcomeOf(this.bed.api, `customer-${created.id}`, created.events[0]!.eventId);
    const stripeId = (linked.data as { stripeCustomerId: string }).stripeCustomerId;
    await sendWebhook(this.server(), 'customer.created', await this.stripe.customers.retrieve(stripeId));
    if (options.card) {
      const card = await this.stripe.customers.createSource(stripeId, { source: 'tok_visa' });
      await sendWebhook(this.server(), 'customer.source.created', card);
      const customer = await this.stripe.customers.retrieve(stripeId);
      await sendWebhook(this.server(), 'customer.updated', { ...customer, default_source: card.id });
      await this.get(`/customers/${created.id}`, (body) => body.defaultPaymentMethod === card.id);
    }
    await this.get(`/customers/${created.id}`, (body) => body.stripeId === stripeId);
    return { id: created.id, stripeId };
  }

  /** A subscription started through the API, created in Stripe, and echoed back (status from Stripe). */
  async subscription(customerId: string, priceId: string, extra: Json = {}): Promise<{ id: string; stripeId: string }> {
    const started = (
      await this.bed
        .http()
        .post('/subscriptions')
        .set('Authorization', bearer('support'))
        .send({ customerId, priceId, collection: 'send_invoice', ...extra })
        .expect(201)
    ).body as Issued;
    const stripeId = await this.linked(started.id);
    await this.echo(stripeId, 'customer.subscription.created');
    await this.get(`/subscriptions/${started.id}`, (body) => body.status !== 'pending');
    return { id: started.id, stripeId };
  }

  /** The Stripe id the process manager created the platform's subscription under. */
  async linked(subscriptionId: string): Promise<string> {
    const started = await this.event(`subscription-${subscriptionId}`, 'SubscriptionStarted');
    const outcome = await outcomeOf(this.bed.api, `subscription-${subscriptionId}`, started.id);
    if (outcome.type !== 'SubscriptionLinkedToStripe') throw new Error(`not linked: ${JSON.stringify(outcome.data)}`);
    return (outcome.data as { stripeSubscriptionId: string }).stripeSubscriptionId;
  }

  /** Sends the subscription as Stripe holds it now, as the webhook `type`. */
  async echo(stripeId: string, type: string, changes: Json = {}): Promise<void> {
    const subscription = await this.stripe.subscriptions.retrieve(stripeId);
    await sendWebhook(this.server(), type, { ...subscription, ...changes });
  }

  /** The newest event of `type` in the stream (waits for one). */
  async event(stream: string, type: string): Promise<RecordedEvent> {
    const store = this.bed.api.app.get<EventStore>(EVENT_STORE);
    let found: RecordedEvent | undefined;
    await eventually(
      async () => {
        found = (await store.readStream(stream)).filter((event) => event.type === type).at(-1);
        return found !== undefined;
      },
      10_000,
      `${type} in ${stream}`,
    );
    return found!;
  }

  /** Waits until the process manager carried out the command event on Stripe. */
  async carriedOut(stream: string, event: RecordedEvent): Promise<RecordedEvent> {
    return outcomeOf(this.bed.api, stream, event.id);
  }

  async events(stream: string): Promise<RecordedEvent[]> {
    return this.bed.api.app.get<EventStore>(EVENT_STORE).readStream(stream);
  }

  /** A customer and subscription that came from Stripe (not started on the platform). */
  async stripeSubscription(customer: Stripe.Customer, priceId: string, changes: Json = {}): Promise<string> {
    const subscription = await this.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: priceId }],
      collection_method: 'send_invoice',
      days_until_due: 30,
    });
    await sendWebhook(this.server(), 'customer.subscription.created', { ...subscription, ...changes });
    await this.get(`/subscriptions/${subscription.id}`, (body) => body.status === (changes.status ?? 'active'));
    return subscription.id;
  }

  /** `count` subscriptions of the customer told by webhook only (enough to fill pages of a list). */
  async manySubscriptions(customer: Stripe.Customer, price: Stripe.Price, count: number): Promise<void> {
    const now = Math.floor(Date.now() / 1000);
    for (let index = 0; index < count; index++) {
      const item = { id: `si_${customer.id}_${index}`, object: 'subscription_item', price, quantity: 1 };
      await sendWebhook(this.server(), 'customer.subscription.created', {
        id: `sub_${customer.id.slice(4)}_${index}`,
        object: 'subscription',
        customer: customer.id,
        status: 'active',
        currency: 'usd',
        collection_method: 'send_invoice',
        items: {
          object: 'list',
          data: [{ ...item, current_period_start: now, current_period_end: now + 30 * 86_400 }],
        },
        metadata: {},
        created: now - index,
      });
    }
    const query = `/subscriptions?q=${encodeURIComponent(customer.email!)}&limit=200`;
    await this.get<{ data: unknown[] }>(query, (body) => body.data.length === count);
  }

  async stripeCustomer(name: string, email: string): Promise<Stripe.Customer> {
    const customer = await this.stripe.customers.create({ name, email });
    await sendWebhook(this.server(), 'customer.created', customer);
    await this.get(`/customers/${customer.id}`);
    return customer;
  }

  /** A paid invoice of the subscription, charged to the customer's card: what support refunds. */
  async paidInvoice(
    customerStripeId: string,
    subscriptionStripeId: string,
    amount: number,
    options: { paymentIntent?: string } = {},
  ): Promise<string> {
    const charge = await this.stripe.charges.create({ amount, currency: 'usd', customer: customerStripeId });
    await sendWebhook(this.server(), 'charge.succeeded', charge);
    const now = Math.floor(Date.now() / 1000);
    await sendWebhook(this.server(), 'invoice.paid', {
      id: `in_${charge.id.slice(3)}`,
      object: 'invoice',
      number: `LL-${now}`,
      customer: customerStripeId,
      subscription: subscriptionStripeId,
      charge: charge.id,
      // Paid through a payment intent Stripe sent no webhook about: only its charge is known.
      ...(options.paymentIntent ? { payment_intent: options.paymentIntent } : {}),
      status: 'paid',
      currency: 'usd',
      total: amount,
      amount_due: amount,
      amount_paid: amount,
      amount_remaining: 0,
      period_start: now - 86_400,
      period_end: now + 29 * 86_400,
      status_transitions: { paid_at: now },
      created: now,
      lines: { object: 'list', data: [] },
    });
    await this.get(`/payments/${charge.id}`);
    await this.get<{ data: unknown[] }>(`/subscriptions/${subscriptionStripeId}/invoices`, (b) => b.data.length > 0);
    return charge.id;
  }
}
