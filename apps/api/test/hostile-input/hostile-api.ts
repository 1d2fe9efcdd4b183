import { expect } from '@jest/globals';
import request from 'supertest';
import type { App } from 'supertest/types';
import { EVENT_STORE, type EventStore } from '@ledgerline/event-store';
import { eventually } from '@ledgerline/testing';
import { type ApiTestApp, startApiTestApp, TEST_KEYS } from '../api-test-app';

export const support = `Bearer ${TEST_KEYS.support}`;
export const admin = `Bearer ${TEST_KEYS.admin}`;

interface ProjectionStatus {
  name: string;
  lag: number;
  parked: number;
  status: string;
  lastError: string | null;
}

/**
 * The api with its worker in the same process (so commands reach the read models), and what the
 * hostile-input tests ask of it: how far the store has come, and whether the projections took
 * everything they were given.
 */
export class HostileApi {
  private constructor(
    readonly harness: ApiTestApp,
    readonly store: EventStore,
  ) {}

  static async start(env: Record<string, string> = {}): Promise<HostileApi> {
    const harness = await startApiTestApp(env, true);
    return new HostileApi(harness, harness.app.get<EventStore>(EVENT_STORE));
  }

  get server(): App {
    return this.harness.app.getHttpServer() as App;
  }

  http(): ReturnType<typeof request> {
    return request(this.server);
  }

  /** The store's head: it moves with every event appended, so an unchanged head means nothing was stored. */
  head(): Promise<bigint> {
    return this.store.headPosition();
  }

  async projections(): Promise<ProjectionStatus[]> {
    const response = await this.http().get('/admin/projections').set('Authorization', admin);
    expect(response.status).toBe(200);
    return response.body as ProjectionStatus[];
  }

  /** Waits until every projection has taken every event, then checks none was parked or is failing. */
  async expectProjectionsHealthy(): Promise<void> {
    let last: ProjectionStatus[] = [];
    await eventually(
      async () => {
        last = await this.projections();
        return last.length > 1 && last.every((projection) => projection.lag === 0);
      },
      20_000,
      'every projection to catch up',
    );
    const unhealthy = last.filter((projection) => projection.parked > 0 || projection.status === 'failing');
    expect(unhealthy).toEqual([]);
  }

  close(): Promise<void> {
    return this.harness.close();
  }
}

/** The messages of a NestJS error body, as one list. */
export function messagesOf(body: unknown): string[] {
  const message = (body as { message?: string | string[] } | undefined)?.message;
  return message === undefined ? [] : ([] as string[]).concat(message);
}
