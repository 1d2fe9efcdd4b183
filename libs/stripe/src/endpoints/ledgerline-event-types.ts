import type Stripe from 'stripe';
import { STRIPE_EVENT_TYPES, type StripeEventType } from '@ledgerline/events';

type EnabledEvent = Stripe.WebhookEndpointCreateParams.EnabledEvent;

// Every catalogued Stripe type must be one the pinned SDK lets an endpoint subscribe to.
STRIPE_EVENT_TYPES satisfies readonly EnabledEvent[];

/**
 * The Stripe event types Ledgerline's consumers read: the catalogue's (libs/events/src/catalogue),
 * which holds exactly the Stripe types some read model or process manager declares it handles
 * (apps/worker/event-routing/event-routing.unit.spec.ts fails otherwise), sorted. A webhook endpoint
 * subscribed to these (`ledgerline stripe-endpoint`, `events: 'needed'`) feeds every typed read
 * model, the notifications and the money events reconciliation reads. The `stripe_objects` mirror
 * and the audit index take any event: they see only these types unless the endpoint subscribes to
 * all (`*`).
 */
export const LEDGERLINE_EVENT_TYPES: readonly StripeEventType[] = [...STRIPE_EVENT_TYPES].sort();
