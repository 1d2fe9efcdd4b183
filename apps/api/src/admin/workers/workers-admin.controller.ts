import { Controller, Get, Inject } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LEDGERLINE_CONFIG, type LedgerlineConfig } from '@ledgerline/config';
import { describeWorkers } from '@ledgerline/leases';
import { PROJECTORS, type Projector, projectionUnitName } from '@ledgerline/projections';

/** Operators' view of the workers (decision 0016). No @Roles: admin only. */
@Controller('admin')
export class WorkersAdminController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(PROJECTORS) private readonly projectors: Projector[],
    @Inject(LEDGERLINE_CONFIG) private readonly config: LedgerlineConfig,
  ) {}

  /**
   * The live workers and the units each runs; `unowned` lists the units this configuration expects
   * to run (the same environment as the workers') that no live worker holds: their work waits.
   */
  @Get('workers')
  list() {
    return describeWorkers(this.dataSource, this.config.workers.leaseMs, this.expectedUnits());
  }

  private expectedUnits(): string[] {
    const { stripe, notifications } = this.config;
    return [
      ...this.projectors.map((projector) => projectionUnitName(projector.name)),
      ...(notifications.webhook ? ['notifications'] : []),
      ...(stripe.apiKey ? ['stripe-sync', 'product-import'] : []),
    ];
  }
}
