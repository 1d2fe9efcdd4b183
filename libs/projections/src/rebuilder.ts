import { setTimeout as sleep } from 'node:timers/promises';
import type { EventStore } from '@ledgerline/event-store';
import type { Projector, ProjectionTransaction } from './projector';
import type { ProjectionRunner } from './projection-runner';
import { ProjectionRunner as Runner } from './projection-runner';
import type { ProjectionStore } from './projection-store';
import type { RebuildRequest, RebuildRequests } from './rebuild-requests';

const SHADOW = '__next';
const RETIRED = '__old';

/** The state row a rebuild of `projection` keeps its checkpoint in. */
export const rebuildStateName = (projection: string): string => `${projection}:rebuild`;

/** What ties a rebuild to the worker that owns its projection (see ProjectionRunner's fence). */
export interface RebuildGuard {
  /** Run last in every transaction the rebuild writes in. */
  fence(tx: ProjectionTransaction): Promise<void>;
  /** Aborted when the worker gives the projection up: the rebuild stops and is left for the next owner. */
  signal: AbortSignal;
}

const UNGUARDED: RebuildGuard = { fence: async () => undefined, signal: new AbortController().signal };

/**
 * Blue/green rebuilds (after Marten's): the projector replays the whole store into shadow copies of
 * its tables while the live tables keep answering queries and the live runner keeps them current.
 * Once the rebuild has caught up, the live runner pauses, the shadow is brought to the very same
 * position, and one transaction swaps the tables and moves the checkpoint: readers see the old
 * tables or the new ones, never a mix.
 */
export class Rebuilder {
  constructor(
    private readonly store: EventStore,
    private readonly projections: ProjectionStore,
    private readonly requests: RebuildRequests,
    /** The live runners of the projections this worker owns: it only rebuilds those. */
    private readonly live: ReadonlyMap<string, ProjectionRunner>,
    private readonly log: (message: string) => void = () => undefined,
    private readonly guardOf: (projection: string) => RebuildGuard = () => UNGUARDED,
  ) {}

  /** Carries out the next waiting request for a projection this worker runs, if any; true when one was handled. */
  async runNext(): Promise<boolean> {
    if (this.live.size === 0) return false;
    const request = await this.requests.claim([...this.live.keys()]);
    if (!request) return false;
    const live = this.live.get(request.projection);
    if (!live) {
      // Handed over between the claim and now: the next owner takes the request up.
      await this.requests.resume(request.projection);
      return true;
    }
    const guard = this.guardOf(request.projection);
    try {
      const outcome = await this.rebuild(request, live, guard);
      if (outcome === 'left') {
        await this.projections
          .transaction(async (tx) => {
            await this.requests.resume(request.projection, tx);
            await guard.fence(tx);
          })
          .catch(() => undefined);
        this.log(`rebuild of ${request.projection} left for the projection's next owner`);
        return true;
      }
      await this.requests.finish(request.id, outcome);
      this.log(`rebuild of ${request.projection} ${outcome === 'done' ? 'switched over' : 'cancelled'}`);
    } catch (error) {
      if (guard.signal.aborted) {
        this.log(`rebuild of ${request.projection} stopped: ${(error as Error).message}`);
        return true;
      }
      const message = (error as Error).message;
      // Fenced: a worker that lost the projection meanwhile must not drop the next owner's shadow.
      const failed = await this.dropShadow(live.projector, guard, (tx) =>
        this.requests.finish(request.id, 'failed', message, tx),
      ).then(
        () => true,
        () => false,
      );
      this.log(`rebuild of ${request.projection} ${failed ? 'failed' : 'stopped'}: ${message}`);
    }
    return true;
  }

  private async rebuild(
    request: RebuildRequest,
    live: ProjectionRunner,
    guard: RebuildGuard,
  ): Promise<'done' | 'cancelled' | 'left'> {
    const projector = live.projector;
    const stateName = rebuildStateName(projector.name);
    await this.dropShadow(projector, guard);
    await this.projections.transaction(async (tx) => {
      for (const table of projector.tables) {
        await tx.query(`CREATE TABLE ${table}${SHADOW} (LIKE ${table} INCLUDING ALL)`);
      }
      await guard.fence(tx);
    });
    const shadow = new Runner(projector, this.store, this.projections, {
      stateName,
      tables: Object.fromEntries(projector.tables.map((table) => [table, `${table}${SHADOW}`])),
      log: this.log,
      fence: guard.fence,
      batchSize: live.batchSize,
    });
    await shadow.start();
    await this.projections.setStatus(stateName, 'rebuilding');

    for (;;) {
      if (guard.signal.aborted) {
        await shadow.stop(null);
        return 'left';
      }
      if ((await this.requests.get(request.id))?.status === 'cancelling') {
        await shadow.stop();
        await this.dropShadow(projector, guard);
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
        await guard.fence(tx);
      });
      return 'done';
    } finally {
      // A worker that gave the projection up leaves its live runner to the next owner.
      if (!guard.signal.aborted) await live.start();
    }
  }

  private async position(stateName: string): Promise<bigint> {
    const state = await this.projections.state(stateName);
    return state ? BigInt(state.position) : 0n;
  }

  /**
   * Drops a rebuild's shadow tables and bookkeeping, with `also` in the same fenced transaction.
   * A new owner of the projection calls it for a rebuild its dead predecessor left half done.
   */
  async dropShadow(
    projector: Projector,
    guard: RebuildGuard,
    also: (tx: ProjectionTransaction) => Promise<unknown> = async () => undefined,
  ): Promise<void> {
    const stateName = rebuildStateName(projector.name);
    await this.projections.transaction(async (tx) => {
      for (const table of projector.tables) await tx.query(`DROP TABLE IF EXISTS ${table}${SHADOW}`);
      await tx.query(`DELETE FROM projections.projection_state WHERE name = $1`, [stateName]);
      await tx.query(`DELETE FROM projections.parked_events WHERE projection = $1`, [stateName]);
      await also(tx);
      await guard.fence(tx);
    });
  }
}
