import { Controller, Get, Inject, NotFoundException, Param } from '@nestjs/common';
import { Roles } from '@ledgerline/auth';
import { EVENT_STORE, type EventStore } from '@ledgerline/event-store';
import { eventIdForStripeEvent } from '@ledgerline/stripe';

@Controller('stripe-events')
export class StripeEventsController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** Where a Stripe event was stored: for support ("did we get evt_...?") and for audits. */
  @Roles('support', 'finance', 'consumer')
  @Get(':evtId')
  async find(@Param('evtId') evtId: string) {
    const event = await this.store.readEventById(eventIdForStripeEvent(evtId));
    if (!event || event.metadata.stripeEventId !== evtId) {
      throw new NotFoundException(`No Stripe event "${evtId}" has been received`);
    }
    return {
      eventId: event.id,
      stripeEventId: evtId,
      stream: event.stream,
      revision: Number(event.revision),
      position: Number(event.position),
      type: event.type,
      recordedAt: event.metadata.recordedAt,
    };
  }
}
