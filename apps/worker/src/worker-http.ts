import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Gauge } from 'prom-client';
import type { DataSource } from 'typeorm';
import type { EventStore } from '@ledgerline/event-store';
import type { LeaseCoordinator } from '@ledgerline/leases';
import type { MetricsRegistry } from '@ledgerline/observability';

const CHECK_TIMEOUT_MS = 3_000;

/**
 * The worker's own port (WORKER_PORT), for orchestrators and Prometheus: /health/live (the process
 * answers), /health/ready (its databases answer and it holds its place among the workers), and
 * /metrics (the process's registry, with which units this worker owns). Counts only, no payloads.
 */
export class WorkerHttpServer {
  private readonly server: Server;

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
    private readonly metrics: MetricsRegistry,
    private readonly coordinator: () => LeaseCoordinator | null,
  ) {
    this.registerUnitGauges();
    this.server = createServer((request, response) => {
      this.route(request, response).catch(() => send(response, 500, { status: 'error' }));
    });
  }

  /** Resolves with the port it listens on (0 picks a free one). */
  listen(port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, () => resolve((this.server.address() as AddressInfo).port));
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET') return send(response, 405, { error: 'only GET is served here' });
    if (path === '/health/live') return send(response, 200, { status: 'ok' });
    if (path === '/health/ready') return this.ready(response);
    if (path === '/metrics') {
      response.writeHead(200, { 'Content-Type': this.metrics.contentType, 'Cache-Control': 'no-store' });
      response.end(await this.metrics.render());
      return;
    }
    send(response, 404, { error: 'not found: /health/live, /health/ready and /metrics are served here' });
  }

  private async ready(response: ServerResponse): Promise<void> {
    const coordinator = this.coordinator();
    const [database, eventStore] = await Promise.all([
      check(() => this.dataSource.query('SELECT 1')),
      check(async () => {
        const health = await this.store.health();
        if (health.status !== 'up') throw new Error(health.error ?? 'down');
      }),
    ]);
    const joined = coordinator !== null && coordinator.renewedWithin();
    const up = database === 'up' && eventStore === 'up' && joined;
    send(response, up ? 200 : 503, {
      status: up ? 'ready' : 'unavailable',
      database,
      eventStore,
      leases: joined ? 'renewed' : 'not renewed',
      units: coordinator?.owned() ?? [],
    });
  }

  /** ledgerline_worker_unit_owned{unit} and ledgerline_worker_live_workers, read at scrape time. */
  private registerUnitGauges(): void {
    const registers = [this.metrics.registry];
    const coordinator = this.coordinator;
    new Gauge({
      name: 'ledgerline_worker_unit_owned',
      help: '1 for each unit of work this worker runs under its lease',
      labelNames: ['unit'],
      registers,
      collect() {
        this.reset();
        for (const unit of coordinator()?.owned() ?? []) this.set({ unit }, 1);
      },
    });
    new Gauge({
      name: 'ledgerline_worker_live_workers',
      help: 'Workers whose heartbeat is within the lease time, this one included',
      registers,
      async collect() {
        const members = await coordinator()
          ?.liveMembers()
          .catch(() => null);
        if (members) this.set(members.length);
      },
    });
  }
}

async function check(probe: () => Promise<unknown>): Promise<'up' | 'down'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([probe(), timeout]);
    return 'up';
  } catch {
    return 'down';
  } finally {
    clearTimeout(timer);
  }
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  response.end(JSON.stringify(body));
}
