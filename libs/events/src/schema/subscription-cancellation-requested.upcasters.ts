import type { RecordedEventMetadata } from '@ledgerline/event-store';
import type { SubscriptionCancellationRequested } from '../platform/subscription-events';

/** Version 1, as stored before `effectiveAt` was recorded. */
export type SubscriptionCancellationRequestedV1 = Omit<SubscriptionCancellationRequested, 'effectiveAt'>;

/**
 * v1 → v2: adds `effectiveAt`. A cancellation `now` took effect when the command was issued, which
 * v1 has in its metadata (`occurredAt`; `recordedAt` if a writer left that out). For `period_end`,
 * v1 did not record which period end was meant, and the subscription may have renewed since, so the
 * only honest value is null ("not recorded"), as v2 writes when the period end was unknown.
 */
export function subscriptionCancellationRequestedV2(
  data: SubscriptionCancellationRequestedV1,
  metadata: RecordedEventMetadata,
): SubscriptionCancellationRequested {
  const effectiveAt = data.when === 'now' ? (metadata.occurredAt ?? metadata.recordedAt) : null;
  return { ...data, effectiveAt };
}
