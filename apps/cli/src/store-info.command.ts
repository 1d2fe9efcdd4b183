import { parseArgs } from './args';
import type { Command } from './command';

export const storeInfoCommand: Command = {
  name: 'store-info',
  readOnly: true,
  synopsis: 'store-info',
  summary: "print the event store's adapter, head position and consumer groups",
  prepare(args) {
    parseArgs(args, {});
    return async ({ store }) => {
      const groups = await store.consumerGroups.list();
      const info = {
        adapter: store.adapter,
        headPosition: Number(await store.headPosition()),
        consumerGroups: groups.map((g) => ({ name: g.name, checkpoint: Number(g.checkpoint), parked: g.parked })),
      };
      process.stdout.write(`${JSON.stringify(info, null, 2)}\n`);
      return 0;
    };
  },
};
