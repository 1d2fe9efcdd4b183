import type { EventStore } from '@ledgerline/event-store';
import type { Lease, LeasedUnit } from '@ledgerline/leases';
import {
  ProjectionRunner,
  type Projector,
  type ProjectionStore,
  projectionUnitName,
  RebuildAlreadyActiveError,
  Rebuilder,
  type RebuildRequests,
} from '@ledgerline/projections';

export interface ProjectionUnitOptions {
  batchSize: number;
  log(message: string): void;
}

/**
 * One projector as a unit of work: its live runner, fenced by the unit's lease, and its rebuilds,
 * which the worker carries out only while it holds the lease. Taking the unit over tidies up after
 * a predecessor that died: its half-done rebuild waits again (or, if it was being cancelled, its
 * shadow copy goes).
 */
export class ProjectionUnit implements LeasedUnit {
  readonly name: string;
  private runner: ProjectionRunner | null = null;
  private held: Lease | null = null;
  private rebuilding: Promise<void> | null = null;

  constructor(
    readonly projector: Projector,
    private readonly store: EventStore,
    private readonly projections: ProjectionStore,
    private readonly requests: RebuildRequests,
    private readonly options: ProjectionUnitOptions,
  ) {
    this.name = projectionUnitName(projector.name);
  }

  /** True while it runs here and no rebuild of it is under way. */
  get idle(): boolean {
    return this.runner !== null && this.rebuilding === null;
  }

  /** Carries out the projection's waiting rebuild request, if any, while this worker holds the lease. */
  rebuild(): Promise<void> {
    const [runner, lease] = [this.runner, this.held];
    if (!runner || !lease || this.rebuilding) return this.rebuilding ?? Promise.resolve();
    this.rebuilding = this.rebuilderFor(runner, lease)
      .runNext()
      .then(() => undefined)
      .catch((error: Error) => this.options.log(`${this.projector.name}: rebuild: ${error.message}`))
      .finally(() => {
        this.rebuilding = null;
      });
    return this.rebuilding;
  }

  private rebuilderFor(runner: ProjectionRunner, lease: Lease): Rebuilder {
    const live = new Map([[this.projector.name, runner]]);
    return new Rebuilder(this.store, this.projections, this.requests, live, this.options.log, () => lease);
  }

  async start(lease: Lease): Promise<void> {
    const { projector } = this;
    this.held = lease;
    const state = await this.projections.register(projector.name, projector.version);
    const resumed = await this.requests.resume(projector.name);
    if (resumed === 'cancelled') {
      await new Rebuilder(this.store, this.projections, this.requests, new Map()).dropShadow(projector, lease);
    }
    if (resumed) this.options.log(`${projector.name}: took over a rebuild its previous worker left (${resumed})`);
    if (state.version !== projector.version) {
      await this.requests
        .request(projector.name, `version ${state.version} -> ${projector.version}`)
        .catch((error) => (error instanceof RebuildAlreadyActiveError ? null : Promise.reject(error)));
    }
    this.runner = new ProjectionRunner(projector, this.store, this.projections, {
      batchSize: this.options.batchSize,
      log: this.options.log,
      fence: (tx) => lease.fence(tx),
    });
    await this.runner.start();
  }

  /** Called once the lease's signal is aborted, which also ends a rebuild in progress. */
  async stop(): Promise<void> {
    // The rebuild sees the aborted lease, leaves its request for the next owner and ends first.
    await this.rebuilding;
    const [runner, lease] = [this.runner, this.held];
    this.runner = null;
    if (!runner || !lease) return;
    await runner.stop(null);
    // Fenced: a worker that lost the lease must not mark stopped what another worker now runs.
    await this.projections
      .transaction(async (tx) => {
        await tx.query(
          `UPDATE projections.projection_state SET status = 'stopped', updated_at = now() WHERE name = $1`,
          [this.projector.name],
        );
        await lease.fence(tx);
      })
      .catch(() => undefined);
  }
}
