import { integerSetting, type Value } from './config-values';

export interface FeedsConfig {
  /** How often an idle `GET /feed` (or group stream) sends a heartbeat. */
  heartbeatMs: number;
  /** How long a feed waits for a slow client's socket to drain before telling it to reconnect. */
  drainTimeoutMs: number;
  /** Events a feed reads and writes per batch: with the drain wait, the most a connection holds. */
  batchSize: number;
  /** A consumer-group member not heard from for this long is let go; its unacked events go back to the group. */
  memberIdleMs: number;
}

/** FEED_HEARTBEAT_MS, FEED_DRAIN_TIMEOUT_MS, FEED_BATCH_SIZE, FEED_MEMBER_IDLE_MS. */
export function parseFeedsConfig(value: Value, problems: string[]): FeedsConfig {
  return {
    heartbeatMs: integerSetting(value, 'FEED_HEARTBEAT_MS', 15_000, 100, 300_000, problems),
    drainTimeoutMs: integerSetting(value, 'FEED_DRAIN_TIMEOUT_MS', 30_000, 100, 600_000, problems),
    batchSize: integerSetting(value, 'FEED_BATCH_SIZE', 500, 1, 5_000, problems),
    memberIdleMs: integerSetting(value, 'FEED_MEMBER_IDLE_MS', 120_000, 1_000, 3_600_000, problems),
  };
}
