import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { Public } from '@ledgerline/auth';
import { EVENT_STORE, type EventStore } from '@ledgerline/event-store';

const CHECK_TIMEOUT_MS = 3_000;

interface ComponentHealth {
  status: 'up' | 'down';
  error?: string;
  [detail: string]: unknown;
}

/** /health (the details), /health/live and /health/ready (for orchestrators, as the worker serves them). */
@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  /** 200 when both the read-model database and the event store answer; 503 otherwise. */
  @Public()
  @Get()
  async health(@Res({ passthrough: true }) response: Response) {
    const [database, eventStore] = await Promise.all([this.checkDatabase(), this.checkEventStore()]);
    const up = database.status === 'up' && eventStore.status === 'up';
    response.status(up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return { status: up ? 'ok' : 'unavailable', database, eventStore };
  }

  /** Liveness: the process answers. Always 200 (a restart would not bring a database back). */
  @Public()
  @Get('live')
  live() {
    return { status: 'ok' };
  }

  /** Readiness: send traffic here. 200 when the read-model database and the event store answer; 503 otherwise. */
  @Public()
  @Get('ready')
  async ready(@Res({ passthrough: true }) response: Response) {
    const [database, eventStore] = await Promise.all([this.checkDatabase(), this.checkEventStore()]);
    const up = database.status === 'up' && eventStore.status === 'up';
    response.status(up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return { status: up ? 'ready' : 'unavailable', database: database.status, eventStore: eventStore.status };
  }

  private async checkDatabase(): Promise<ComponentHealth> {
    try {
      await withTimeout(this.dataSource.query('SELECT 1'));
      return { status: 'up' };
    } catch (error) {
      return { status: 'down', error: (error as Error).message };
    }
  }

  private async checkEventStore(): Promise<ComponentHealth> {
    try {
      const health = await withTimeout(this.store.health());
      return {
        status: health.status,
        adapter: health.adapter,
        ...(health.headPosition !== undefined ? { headPosition: Number(health.headPosition) } : {}),
        ...(health.error ? { error: health.error } : {}),
      };
    } catch (error) {
      return { status: 'down', adapter: this.store.adapter, error: (error as Error).message };
    }
  }
}

function withTimeout<T>(work: Promise<T>): Promise<T> {
  return Promise.race([
    work,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS).unref(),
    ),
  ]);
}
