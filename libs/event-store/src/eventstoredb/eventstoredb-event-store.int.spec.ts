import { spawnSync } from 'node:child_process';
import { it } from '@jest/globals';
import { describeEventStoreContract } from '../testing/event-store.contract';
import { EventStoreDbEventStore } from './eventstoredb-event-store';
import { firstEndpoint, isEventStoreDbUrl } from './eventstoredb-mapping';

const PROBE_TIMEOUT_MS = 3_000;

// Jest needs to know which tests exist before any hook runs, so the server is probed synchronously,
// from a child process that tries a plain TCP connect.
const PROBE = `
const socket = require('node:net').connect({ host: process.argv[1], port: Number(process.argv[2]) });
socket.setTimeout(${PROBE_TIMEOUT_MS});
socket.on('connect', () => process.exit(0));
socket.on('timeout', () => { process.stderr.write('no answer within ${PROBE_TIMEOUT_MS} ms'); process.exit(2); });
socket.on('error', (error) => { process.stderr.write(error.message); process.exit(1); });
`;

/** Why the suite cannot run, or null when the server answers. */
function unreachableReason(url: string | undefined): string | null {
  if (!url) return 'EVENT_STORE_URL is not set';
  if (!isEventStoreDbUrl(url)) return 'EVENT_STORE_URL is not an esdb:// or kurrentdb:// URL';
  let endpoint: { host: string; port: number };
  try {
    endpoint = firstEndpoint(url);
  } catch (error) {
    return (error as Error).message;
  }
  const probe = spawnSync(process.execPath, ['-e', PROBE, endpoint.host, String(endpoint.port)], {
    timeout: PROBE_TIMEOUT_MS + 2_000,
    encoding: 'utf8',
  });
  if (probe.status === 0) return null;
  const detail = probe.stderr?.trim() || probe.error?.message || `probe exited with ${probe.status}`;
  return `${endpoint.host}:${endpoint.port}: ${detail}`;
}

const url = process.env.EVENT_STORE_URL;
const reason = unreachableReason(url);

if (reason === null) {
  describeEventStoreContract('EventStoreDB', () => ({
    connect: async () => new EventStoreDbEventStore(url!),
  }));
} else {
  process.stdout.write(
    `event store contract: EventStoreDB skipped: EVENT_STORE_URL is not set / not reachable (${reason})\n`,
  );
  it.skip('EventStoreDB contract suite: no reachable server', () => undefined);
}
