import { Inject, Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { LEDGERLINE_CONFIG, type LedgerlineConfig } from '@ledgerline/config';
import { EVENT_STORE, type EventStore } from '@ledgerline/event-store';
import { MetricsRegistry } from '@ledgerline/observability';
import { describeProjections } from './projection-status';
import { ProjectionStore } from './projection-store';

/**
 * Projection progress on /metrics (the api's and each worker's), computed at scrape time from the
 * same source as /admin/projections. Registered once per process: `npm start` runs the api and the
 * worker in one, each module asking for it.
 */
@Injectable()
export class ProjectionMetrics {
  constructor(
    metrics: MetricsRegistry,
    @Inject(EVENT_STORE) store: EventStore,
    projections: ProjectionStore,
    @Inject(LEDGERLINE_CONFIG) config: LedgerlineConfig,
  ) {
    if (metrics.registry.getSingleMetric('ledgerline_projection_lag_events')) return;
    const gauges = {
      position: new Gauge({
        name: 'ledgerline_projection_position',
        help: 'Last position applied',
        labelNames: ['projection'],
        registers: [metrics.registry],
      }),
      lag: new Gauge({
        name: 'ledgerline_projection_lag_events',
        help: 'Events not yet applied',
        labelNames: ['projection'],
        registers: [metrics.registry],
      }),
      lagSeconds: new Gauge({
        name: 'ledgerline_projection_lag_seconds',
        help: 'Age of the oldest event not yet applied',
        labelNames: ['projection'],
        registers: [metrics.registry],
      }),
      parked: new Gauge({
        name: 'ledgerline_projection_parked_events',
        help: 'Events parked after failing',
        labelNames: ['projection'],
        registers: [metrics.registry],
      }),
      stalled: new Gauge({
        name: 'ledgerline_projection_stalled',
        help: '1 while behind the head without moving for longer than PROJECTION_STALL_SECONDS, else 0',
        labelNames: ['projection'],
        registers: [metrics.registry],
      }),
    };
    // One query per scrape, shared by the gauges.
    let pending: Promise<void> | null = null;
    const refresh = () =>
      (pending ??= describeProjections(store, projections, { stallSeconds: config.projectionStallSeconds })
        .then((statuses) => {
          for (const status of statuses) {
            const labels = { projection: status.name };
            gauges.position.set(labels, status.position);
            gauges.lag.set(labels, status.lag);
            gauges.lagSeconds.set(labels, status.lagSeconds);
            gauges.parked.set(labels, status.parked);
            gauges.stalled.set(labels, status.stalled ? 1 : 0);
          }
        })
        .catch(() => undefined)
        .finally(() => setTimeout(() => (pending = null), 0)));
    for (const gauge of Object.values(gauges)) (gauge as unknown as { collect: () => Promise<void> }).collect = refresh;
  }
}
