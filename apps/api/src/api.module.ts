import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiKeyGuard } from '@ledgerline/auth';
import { CommandsModule } from '@ledgerline/commands';
import { HttpObserver } from '@ledgerline/observability';
import { CustomerCommandsController } from './commands/customers/customer-commands.controller';
import { CommandInterceptor } from './commands/idempotency.interceptor';
import { PaymentCommandsController } from './commands/payments/payment-commands.controller';
import { ProductLinkCommandsController } from './commands/products/product-link-commands.controller';
import { SubscriptionCommandsController } from './commands/subscriptions/subscription-commands.controller';
import { CustomerAuditController } from './audit/customer-audit.controller';
import { SubscriptionAuditController } from './audit/subscription-audit.controller';
import { StreamsController } from './audit/streams.controller';
import { EventStoreAdminController } from './admin/event-store-admin.controller';
import { StripeSyncAdminController } from './admin/stripe-sync-admin.controller';
import { ConsumerGroupsController } from './feeds/consumer-groups.controller';
import { FeedController } from './feeds/feed.controller';
import { GroupMembers } from './feeds/group-members';
import { OpenStreams } from './feeds/open-streams';
import { HealthController } from './health/health.controller';
import { MeController } from './me/me.controller';
import { MetricsController } from './metrics/metrics.controller';
import { ProjectionMetrics, projectionProviders } from '@ledgerline/projections';
import { allProjectors } from '@ledgerline/read-models';
import { ProjectionsAdminController } from './projections/projections-admin.controller';
import { WorkersAdminController } from './workers/workers-admin.controller';
import { BackfillController } from './backfill/backfill.controller';
import { BackfillRunner } from './backfill/backfill-runner';
import { ReconciliationRunner } from './reconciliation/reconciliation-runner';
import { ReconciliationRunsController } from './reconciliation/reconciliation-runs.controller';
import { StripeEventsController } from './stripe-events/stripe-events.controller';
import { StripeObjectsController } from './stripe-objects/stripe-objects.controller';
import { StripeEndpointsAdminController } from './stripe-endpoints/stripe-endpoints-admin.controller';
import { StripeWebhookHandler } from './stripe-webhooks/stripe-webhook.handler';
import { StripeWebhookMetrics } from './stripe-webhooks/stripe-webhook.metrics';
import { CatalogController } from './support/catalog/catalog.controller';
import { CustomerTabsController } from './support/customers/customer-tabs.controller';
import { CustomersController } from './support/customers/customers.controller';
import { InvoicesController } from './support/invoices/invoices.controller';
import { PaymentsController } from './support/payments/payments.controller';
import { ProductsController } from './support/products/products.controller';
import { SubscriptionsController } from './support/subscriptions/subscriptions.controller';

/** The HTTP surface. Expects CoreModule to be imported alongside it. */
@Module({
  imports: [CommandsModule],
  controllers: [
    HealthController,
    MetricsController,
    MeController,
    EventStoreAdminController,
    StripeEventsController,
    StripeObjectsController,
    ProjectionsAdminController,
    WorkersAdminController,
    CustomersController,
    CustomerTabsController,
    SubscriptionsController,
    InvoicesController,
    CatalogController,
    PaymentsController,
    CustomerCommandsController,
    SubscriptionCommandsController,
    PaymentCommandsController,
    ProductsController,
    ProductLinkCommandsController,
    StripeSyncAdminController,
    StreamsController,
    CustomerAuditController,
    SubscriptionAuditController,
    ReconciliationRunsController,
    BackfillController,
    StripeEndpointsAdminController,
    FeedController,
    ConsumerGroupsController,
  ],
  providers: [
    { provide: APP_GUARD, useClass: ApiKeyGuard },
    HttpObserver,
    StripeWebhookMetrics,
    StripeWebhookHandler,
    ...projectionProviders(allProjectors),
    ProjectionMetrics,
    CommandInterceptor,
    ReconciliationRunner,
    BackfillRunner,
    GroupMembers,
    OpenStreams,
  ],
})
export class ApiModule {}
