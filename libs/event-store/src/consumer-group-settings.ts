import type { ConsumerGroupSettings } from './event-store.port';

export const DEFAULT_ACK_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_DELIVERIES = 5;

export interface ValidGroupSettings {
  ackTimeoutMs: number;
  maxDeliveries: number;
  from: bigint | 'start' | 'end';
}

/** The same rules for a group's name and settings on every adapter. */
export function validateGroupSettings(name: string, settings: ConsumerGroupSettings): ValidGroupSettings {
  if (typeof name !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/.test(name)) {
    throw new RangeError('A consumer group name is 1 to 128 letters, digits, "_", ".", ":" or "-"');
  }
  const ackTimeoutMs = settings.ackTimeoutMs ?? DEFAULT_ACK_TIMEOUT_MS;
  const maxDeliveries = settings.maxDeliveries ?? DEFAULT_MAX_DELIVERIES;
  if (!Number.isInteger(ackTimeoutMs) || ackTimeoutMs < 1)
    throw new RangeError('ackTimeoutMs must be a positive integer');
  if (!Number.isInteger(maxDeliveries) || maxDeliveries < 1) {
    throw new RangeError('maxDeliveries must be a positive integer');
  }
  const from = settings.from ?? 'start';
  if (typeof from === 'bigint' && from < 0n) throw new RangeError('from must be a position >= 0');
  return { ackTimeoutMs, maxDeliveries, from };
}
