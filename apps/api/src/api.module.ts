import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiKeyGuard } from '@ledgerline/auth';
import { HttpObserver } from '@ledgerline/observability';
import { CustomersModule } from './customers/customers.module';
import { SubscriptionsModule } from './subscriptions/subscriptions.module';
import { PaymentsModule } from './payments/payments.module';
import { ProductsModule } from './products/products.module';
import { StreamsController } from './audit/streams.controller';
import { AdminModule } from './admin/admin.module';
import { FeedsModule } from './feeds/feeds.module';
import { HealthController } from './health/health.controller';
import { MeController } from './me/me.controller';
import { MetricsController } from './metrics/metrics.controller';
import { ReconciliationModule } from './reconciliation/reconciliation.module';
import { StripeEventsController } from './stripe-events/stripe-events.controller';
import { StripeObjectsController } from './stripe-objects/stripe-objects.controller';
import { StripeWebhookHandler } from './stripe-webhooks/stripe-webhook.handler';
import { StripeWebhookMetrics } from './stripe-webhooks/stripe-webhook.metrics';

/**
 * The HTTP surface: one module per resource, and the routes that belong to none (health, metrics,
 * the caller, lookups by Stripe id or stream name) with the api-wide guard and the webhook handler.
 * Expects CoreModule to be imported alongside it.
 */
@Module({
  imports: [
    AdminModule,
    CustomersModule,
    SubscriptionsModule,
    PaymentsModule,
    ProductsModule,
    ReconciliationModule,
    FeedsModule,
  ],
  controllers: [
    HealthController,
    MetricsController,
    MeController,
    StripeEventsController,
    StripeObjectsController,
    StreamsController,
  ],
  providers: [{ provide: APP_GUARD, useClass: ApiKeyGuard }, HttpObserver, StripeWebhookMetrics, StripeWebhookHandler],
})
export class ApiModule {}
