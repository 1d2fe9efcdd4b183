import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
import type { EventStore } from '@ledgerline/event-store';
import type { ProjectionRunner } from './projection-runner';
import { ProjectionRunner as Runner } from './projection-runner';
import type { ProjectionStore } from './projection-store';
import type { RebuildRequest, RebuildRequests } from './rebuild-requests';

const SHADOW = '__next';
const RETIRED = '__old';

/** The state row a rebuild of `projection` keeps its checkpoint in. */
export const rebuildStateName = (projection: string): string => `${projection}:rebuild`;

/**
 * Blue/green rebuilds (after Marten's): the projector replays the whole store into shadow copies of
 * its tables while the live tables keep answering queries and the live runner keeps them current.
 * Once the rebuild has caught up, the live runner pauses, the shadow is brought to the very same
 * position, and one transaction swaps the tables and moves the checkpoint: readers see the old
 * tables or the new ones, never a mix.
 */
export class Rebuilder {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
    private readonly projections: ProjectionStore,
    private readonly requests: RebuildRequests,
    private readonly live: ReadonlyMap<string, ProjectionRunner>,
    private readonly log: (message: string) => void = () => undefined,
  ) {}

  /** Carries out the next waiting request, if any; true when one was handled. */
  async runNext(): Promise<boolean> {
    const request = await this.requests.claim();
    if (!request) return false;
    const live = this.live.get(request.projection);
    if (!live) {
      await this.requests.finish(request.id, 'failed', `No projection "${request.projection}" runs in this worker`);
      return true;
    }
    try {
      const outcome = await this.rebuild(request, live);
      await this.requests.finish(request.id, outcome);
      this.log(`rebuild of ${request.projection} ${outcome === 'done' ? 'switched over' : 'cancelled'}`);
    } catch (error) {
      await this.dropShadow(live).catch(() => undefined);
      await this.requests.finish(request.id, 'failed', (error as Error).message);
      this.log(`rebuild of ${request.projection} failed: ${(error as Error).message}`);
    }
    return true;
  }

  private async rebuild(request: RebuildRequest, live: ProjectionRunner): Promise<'done' | 'cancelled'> {
    const projector = live.projector;
    const stateName = rebuildStateName(projector.name);
    await this.dropShadow(live);
    await this.projections.transaction(async (tx) => {
      for (const table of projector.tables) {
        await tx.query(`CREATE TABLE ${table}${SHADOW} (LIKE ${table} INCLUDING ALL)`);
      }
    });
    const shadow = new Runner(projector, this.store, this.projections, {
      stateName,
      tables: Object.fromEntries(projector.tables.map((table) => [table, `${table}${SHADOW}`])),
      log: this.log,
    });
    await shadow.start();
    await this.projections.setStatus(stateName, 'rebuilding');

    for (;;) {
      if ((await this.requests.get(request.id))?.status === 'cancelling') {
        await shadow.stop();
        await this.dropShadow(live);
        return 'cancelled';
      }
      const [rebuilt, current] = await Promise.all([this.position(stateName), this.position(projector.name)]);
      if (rebuilt >= current) break;
      await sleep(250);
    }

    await live.stop('switching');
    await shadow.stop('switching');
    try {
      const target = await this.position(projector.name);
      await shadow.catchUpTo(target);
      const position = await this.position(stateName);
      await this.projections.transaction(async (tx) => {
        for (const table of projector.tables) {
          await tx.query(`ALTER TABLE ${table} RENAME TO ${table}${RETIRED}`);
          await tx.query(`ALTER TABLE ${table}${SHADOW} RENAME TO ${table}`);
          await tx.query(`DROP TABLE ${table}${RETIRED}`);
        }
        await tx.query(
          `UPDATE projections.projection_state SET position = $2, version = $3, status = 'running', updated_at = now()
            WHERE name = $1`,
          [projector.name, position.toString(), projector.version],
        );
        await tx.query(`DELETE FROM projections.parked_events WHERE projection = $1`, [projector.name]);
        await tx.query(`UPDATE projections.parked_events SET projection = $1 WHERE projection = $2`, [
          projector.name,
          stateName,
        ]);
        await tx.query(`DELETE FROM projections.projection_state WHERE name = $1`, [stateName]);
      });
      return 'done';
    } finally {
      await live.start();
    }
  }

  private async position(stateName: string): Promise<bigint> {
    const state = await this.projections.state(stateName);
    return state ? BigInt(state.position) : 0n;
  }

  private async dropShadow(live: ProjectionRunner): Promise<void> {
    await this.projections.transaction(async (tx) => {
      for (const table of live.projector.tables) await tx.query(`DROP TABLE IF EXISTS ${table}${SHADOW}`);
    });
    await this.projections.remove(rebuildStateName(live.projector.name));
    await this.dataSource.query(`DELETE FROM projections.parked_events WHERE projection = $1`, [
      rebuildStateName(live.projector.name),
    ]);
  }
}
