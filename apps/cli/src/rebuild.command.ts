import { setTimeout as sleep } from 'node:timers/promises';
import { createDataSource } from '@ledgerline/database';
import type { EventStore } from '@ledgerline/event-store';
import { ProjectionStore, rebuildStateName, RebuildAlreadyActiveError, RebuildRequests } from '@ledgerline/projections';
import { allProjectors } from '@ledgerline/read-models';
import { READ_MODEL_MIGRATIONS } from '@ledgerline/runtime';
import { parseArgs, UsageError } from './args';
import type { Command } from './command';
import { Progress } from './progress';

/**
 * `ledgerline rebuild <projection|all>`: files rebuild requests for the worker and follows them to
 * the switch-over. Ctrl-C stops following, not the rebuild (`--cancel` stops the rebuild).
 */
export const rebuildCommand: Command = {
  name: 'rebuild',
  synopsis: 'rebuild <projection|all> [--cancel]',
  summary: 'rebuild read models without downtime (carried out by the worker), with progress and ETA',
  help: '  --cancel   stop an active rebuild of the projection(s) instead (the live tables stay)',
  prepare(args) {
    const names = allProjectors().map((projector) => projector.name);
    const usage = `rebuild <${[...names, 'all'].join('|')}> [--cancel]`;
    const { positionals, options } = parseArgs(args, { cancel: { type: 'boolean' } }, { maxPositionals: 1 });
    const [target] = positionals;
    if (!target) throw new UsageError('which projection? (or all)', usage);
    if (target !== 'all' && !names.includes(target)) throw new UsageError(`unknown projection "${target}"`, usage);
    const chosen = target === 'all' ? names : [target];
    return ({ databases, store }) => rebuild(chosen, options.cancel === true, databases.databaseUrl, store);
  },
};

async function rebuild(chosen: string[], cancel: boolean, databaseUrl: string, store: EventStore): Promise<number> {
  const dataSource = await createDataSource(databaseUrl, READ_MODEL_MIGRATIONS).initialize();
  try {
    const requests = new RebuildRequests(dataSource);
    const projections = new ProjectionStore(dataSource);
    if (cancel) {
      for (const name of chosen) {
        const cancelled = await requests.cancel(name);
        process.stdout.write(`${name}: ${cancelled ? 'cancel requested' : 'no rebuild is active'}\n`);
      }
      return 0;
    }
    let failed = false;
    for (const name of chosen) {
      const request = await requests.request(name, 'requested from the CLI').catch((error: unknown) => {
        if (error instanceof RebuildAlreadyActiveError) process.stderr.write(`${error.message}; following it\n`);
        else throw error;
        return null;
      });
      const id =
        request?.id ??
        (await requests.list()).find(
          (r) => r.projection === name && ['requested', 'running', 'cancelling'].includes(r.status),
        )?.id;
      if (id === undefined) continue;
      const progress = new Progress(`rebuild ${name}`);
      let waitingSince = Date.now();
      for (;;) {
        const current = await requests.get(id);
        if (!current || ['done', 'cancelled', 'failed'].includes(current.status)) {
          progress.finish(current?.status === 'failed' ? `failed: ${current.error}` : (current?.status ?? 'gone'));
          failed ||= current?.status === 'failed';
          break;
        }
        const state = await projections.state(rebuildStateName(name));
        if (state) {
          progress.update(Number(state.position), Number(await store.headPosition()));
          waitingSince = Date.now();
        } else if (Date.now() - waitingSince > 10_000) {
          process.stderr.write(
            `rebuild ${name}: still ${current.status}; is a worker running (npm start or npm run start:worker)?\n`,
          );
          waitingSince = Date.now();
        }
        await sleep(500);
      }
    }
    return failed ? 1 : 0;
  } finally {
    await dataSource.destroy();
  }
}
