import { Module } from '@nestjs/common';
import { ProjectionMetrics, projectionProviders } from '@ledgerline/projections';
import { allProjectors } from '@ledgerline/read-models';
import { BackfillRunner } from './backfill/backfill-runner';
import { BackfillController } from './backfill/backfill.controller';
import { EventStoreAdminController } from './event-store-admin.controller';
import { ProjectionsAdminController } from './projections/projections-admin.controller';
import { StripeEndpointsAdminController } from './stripe-endpoints/stripe-endpoints-admin.controller';
import { StripeSyncAdminController } from './stripe-sync-admin.controller';
import { WorkersAdminController } from './workers/workers-admin.controller';

/**
 * `/admin`: the event store, projections and parked events, workers, Stripe sync, backfill and
 * Ledgerline's Stripe webhook endpoint. Holds the api's own projector instances (a parked event is
 * retried through them).
 */
@Module({
  controllers: [
    EventStoreAdminController,
    ProjectionsAdminController,
    WorkersAdminController,
    StripeSyncAdminController,
    BackfillController,
    StripeEndpointsAdminController,
  ],
  providers: [...projectionProviders(allProjectors), ProjectionMetrics, BackfillRunner],
})
export class AdminModule {}
