import { integerSetting, type Value } from './config-values';

export interface WorkersConfig {
  /** The worker's own HTTP port for /health/live, /health/ready and /metrics; 0 picks a free one; null serves none. */
  port: number | null;
  /** How long a unit's lease outlives the last heartbeat of its worker: the longest a dead worker's work waits. */
  leaseMs: number;
  /** How often a worker renews its leases and rebalances: a quarter of the lease. */
  heartbeatMs: number;
}

/** WORKER_PORT (`off` for none), WORKER_LEASE_MS. */
export function parseWorkersConfig(value: Value, problems: string[]): WorkersConfig {
  const rawPort = value('WORKER_PORT');
  const port = rawPort === 'off' ? null : integerSetting(value, 'WORKER_PORT', 3001, 0, 65_535, problems);
  const leaseMs = integerSetting(value, 'WORKER_LEASE_MS', 5_000, 1_000, 60_000, problems);
  return { port, leaseMs, heartbeatMs: Math.max(250, Math.floor(leaseMs / 4)) };
}
