import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';

/** One Prometheus registry per process; features register their own counters on it. */
@Injectable()
export class MetricsRegistry {
  readonly registry = new Registry();

  constructor() {
    this.registry.setDefaultLabels({ app: 'ledgerline' });
    collectDefaultMetrics({ register: this.registry, prefix: 'ledgerline_' });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
