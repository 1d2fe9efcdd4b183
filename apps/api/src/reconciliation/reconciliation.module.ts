import { Module } from '@nestjs/common';
import { ReconciliationRunner } from './reconciliation-runner';
import { ReconciliationRunsController } from './reconciliation-runs.controller';

/** `/reconciliation/runs`: finance's reconciliation runs and their reports. */
@Module({
  controllers: [ReconciliationRunsController],
  providers: [ReconciliationRunner],
})
export class ReconciliationModule {}
