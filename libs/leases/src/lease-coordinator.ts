import { setTimeout as sleep } from 'node:timers/promises';
import { LeaseTable, type Queryable, type WorkerIdentity } from './lease-table';
import { preferredOwner } from './rendezvous';

/** What a unit of work holds while it runs: proof of ownership for its writes. */
export interface Lease {
  readonly unit: string;
  readonly workerId: string;
  readonly token: string;
  /** Aborted when the lease is lost or handed over: the unit stops. */
  readonly signal: AbortSignal;
  /** The last statement of every transaction that writes for the unit (see LeaseTable.fence). */
  fence(tx: Queryable): Promise<void>;
}

/** A piece of work exactly one live worker runs at a time: a projector, a process manager. */
export interface LeasedUnit {
  readonly name: string;
  start(lease: Lease): Promise<void>;
  /** Ends the work in hand (a batch, a delivery) and stops; called once per start. */
  stop(): Promise<void>;
}

export interface LeaseCoordinatorOptions {
  /** How often the worker renews its leases and rebalances. */
  heartbeatMs: number;
  /** How long a lease outlives its last renewal: a dead worker's units move after at most this. */
  ttlMs: number;
  log(message: string): void;
}

interface Running {
  unit: LeasedUnit;
  lease: Lease;
  controller: AbortController;
}

/**
 * Runs this worker's share of the units: every heartbeat it renews its leases, drops the units
 * whose lease it lost, hands over the units another live worker is preferred for, and takes the
 * free or expired units it is preferred for (rendezvous hashing over the live workers).
 */
export class LeaseCoordinator {
  private readonly table: LeaseTable;
  private readonly running = new Map<string, Running>();
  private readonly halt = new AbortController();
  private loop: Promise<void> | null = null;
  private lastRenewal = 0;
  private failing = false;

  constructor(
    database: Queryable,
    readonly worker: WorkerIdentity,
    private readonly units: readonly LeasedUnit[],
    private readonly options: LeaseCoordinatorOptions,
  ) {
    this.table = new LeaseTable(database, options.ttlMs);
  }

  /** Joins, takes this worker's share at once, then keeps it up to date every heartbeat. */
  async start(): Promise<void> {
    await this.table.forgetDeadMembers();
    await this.tick();
    this.loop = this.run();
  }

  /** Stops every unit (each finishes what it has in hand), gives their leases up and leaves. */
  async stop(): Promise<void> {
    this.halt.abort();
    await this.loop;
    await Promise.all([...this.running.keys()].map((name) => this.stopUnit(name, 'worker stopping', true)));
    await this.table.leave(this.worker.id).catch(() => undefined);
  }

  /** Whether the last successful heartbeat is younger than the lease: the worker holds its place. */
  renewedWithin(): boolean {
    return Date.now() - this.lastRenewal < this.options.ttlMs;
  }

  /** The units this worker runs now. */
  owned(): string[] {
    return [...this.running.keys()].sort();
  }

  /** Every unit's current owner according to the database (null: free or expired). */
  async owners(): Promise<Map<string, string | null>> {
    const leases = new Map((await this.table.leases()).map((lease) => [lease.unit, lease.owner]));
    return new Map(this.units.map((unit) => [unit.name, leases.get(unit.name) ?? null]));
  }

  liveMembers(): ReturnType<LeaseTable['liveMembers']> {
    return this.table.liveMembers();
  }

  private async run(): Promise<void> {
    while (!this.halt.signal.aborted) {
      await sleep(this.options.heartbeatMs, undefined, { signal: this.halt.signal }).catch(() => undefined);
      if (this.halt.signal.aborted) return;
      try {
        await this.tick();
        if (this.failing) this.options.log('lease heartbeat works again');
        this.failing = false;
      } catch (error) {
        if (!this.failing) this.options.log(`lease heartbeat failed: ${(error as Error).message}`);
        this.failing = true;
        // Unrenewed, the leases run out and other workers may take the units: stop before they do.
        if (Date.now() - this.lastRenewal > this.options.ttlMs / 2) {
          await Promise.all([...this.running.keys()].map((name) => this.stopUnit(name, 'lease not renewed', false)));
        }
      }
    }
  }

  private async tick(): Promise<void> {
    const renewedAt = Date.now();
    const held = await this.table.heartbeat(this.worker);
    this.lastRenewal = renewedAt;
    const lost = [...this.running].filter(([name, { lease }]) => held.get(name) !== lease.token);
    await Promise.all(lost.map(([name]) => this.stopUnit(name, 'lease lost to another worker', false)));

    const live = (await this.table.liveMembers()).map((member) => member.workerId);
    if (!live.includes(this.worker.id)) live.push(this.worker.id);
    const work: Promise<void>[] = [];
    for (const unit of this.units) {
      const mine = preferredOwner(unit.name, live) === this.worker.id;
      if (mine && !this.running.has(unit.name)) work.push(this.startUnit(unit));
      if (!mine && this.running.has(unit.name)) work.push(this.stopUnit(unit.name, 'handed over', true));
    }
    await Promise.all(work);
  }

  private async startUnit(unit: LeasedUnit): Promise<void> {
    const token = await this.table.acquire(unit.name, this.worker.id);
    if (token === null) return; // still held by a live worker: it hands it over or its lease runs out
    const controller = new AbortController();
    const workerId = this.worker.id;
    const lease: Lease = {
      unit: unit.name,
      workerId,
      token,
      signal: controller.signal,
      fence: (tx) => LeaseTable.fence(tx, unit.name, workerId, token),
    };
    this.running.set(unit.name, { unit, lease, controller });
    try {
      await unit.start(lease);
      this.options.log(`took ${unit.name} (lease ${token})`);
    } catch (error) {
      this.options.log(`could not start ${unit.name}: ${(error as Error).message}`);
      await this.stopUnit(unit.name, 'failed to start', true);
    }
  }

  /** `release`: give the lease up at once (the unit has stopped writing), rather than let it run out. */
  private async stopUnit(name: string, reason: string, release: boolean): Promise<void> {
    const running = this.running.get(name);
    if (!running) return;
    this.running.delete(name);
    running.controller.abort();
    await running.unit.stop().catch((error: Error) => this.options.log(`stopping ${name}: ${error.message}`));
    const { lease } = running;
    if (release) await this.table.release(name, lease.workerId, lease.token).catch(() => undefined);
    this.options.log(`let go of ${name}: ${reason}`);
  }
}
