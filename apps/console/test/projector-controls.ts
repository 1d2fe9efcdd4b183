import type { RecordedEvent } from '@ledgerline/event-store';
import { PROJECTORS, type ProjectionTransaction, type Projector } from '@ledgerline/projections';
import { AdminModule } from '../../api/src/admin/admin.module';
import { WorkerModule } from '../../worker/src/worker.module';
import type { ConsoleTestbed } from './console-testbed';

/**
 * The api and the worker each hold their own instances of the projectors: the worker's runners
 * (and rebuilds) apply events through its own, the api's retry of a parked event through the api's.
 */
export function projectorInstances(bed: ConsoleTestbed, name: string): { api: Projector; worker: Projector } {
  const named = (module: typeof AdminModule | typeof WorkerModule) => {
    const found = bed.api.app
      .select(module)
      .get<Projector[]>(PROJECTORS, { strict: true })
      .find((p) => p.name === name);
    if (!found) throw new Error(`no projector ${name}`);
    return found;
  };
  const instances = { api: named(AdminModule), worker: named(WorkerModule) };
  if (instances.api === instances.worker) throw new Error('expected the api and the worker to hold their own');
  return instances;
}

type Before = (events: RecordedEvent[], tx: ProjectionTransaction) => Promise<void>;

/**
 * Runs `before` ahead of each apply and applyBatch of the projector (it may wait, or throw as a
 * broken projector would), and returns what puts the projector back as it was.
 */
export function intercept(projector: Projector, before: Before): () => void {
  const target = projector as { apply: Projector['apply']; applyBatch?: Projector['applyBatch'] };
  const own = {
    apply: Object.getOwnPropertyDescriptor(target, 'apply'),
    applyBatch: Object.getOwnPropertyDescriptor(target, 'applyBatch'),
  };
  const apply = target.apply.bind(projector);
  const applyBatch = target.applyBatch?.bind(projector);
  target.apply = async (event, tx) => {
    await before([event], tx);
    return apply(event, tx);
  };
  if (applyBatch) {
    target.applyBatch = async (events, tx) => {
      await before(events, tx);
      return applyBatch(events, tx);
    };
  }
  return () => {
    for (const key of ['apply', 'applyBatch'] as const) {
      const descriptor = own[key];
      if (descriptor) Object.defineProperty(target, key, descriptor);
      else Reflect.deleteProperty(target, key);
    }
  };
}

/** A door the projector's batches wait at until the test opens it. */
export function gate(): { opened: Promise<void>; open(): void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/** True for the projector's live tables; false in a rebuild, which writes to shadow copies. */
export const isLive = (tx: ProjectionTransaction, table: string): boolean => tx.table(table) === table;
