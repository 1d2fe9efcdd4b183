import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiKeyGuard } from '@ledgerline/auth';
import { EventStoreAdminController } from './admin/event-store-admin.controller';
import { HealthController } from './health/health.controller';
import { MeController } from './me/me.controller';
import { MetricsController } from './metrics/metrics.controller';

/** The HTTP surface. Expects CoreModule to be imported alongside it. */
@Module({
  controllers: [HealthController, MetricsController, MeController, EventStoreAdminController],
  providers: [{ provide: APP_GUARD, useClass: ApiKeyGuard }],
})
export class ApiModule {}
