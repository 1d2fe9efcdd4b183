import { createHash } from 'node:crypto';
import { type EventStore, type RecordedEvent, WrongExpectedRevisionError } from '@ledgerline/event-store';
import { BACKFILLED_EVENT_TYPE, canonicalJson, normaliseStripeObject, withStorableText } from '@ledgerline/events';
import { routeStripeEvent, type StripeEventPayload, toStoreEvent } from '@ledgerline/stripe';
import type { ListedObject } from '../objects/backfill-objects';

export interface BackfillRecording {
  runId: string;
  /** The Connect account the object was listed on; null: the platform. */
  account: string | null;
  /** When the page was requested (Unix seconds): the backfilled event's `created`. */
  requestedAt: number;
  /** The API version the objects were listed with (the SDK's). */
  apiVersion: string;
}

export type RecordOutcome = 'appended' | 'unchanged';

/** How far back a stream is searched for its newest snapshot: out-of-order arrivals are recent ones. */
const RECENT_EVENTS = 50;
const CONFLICT_RETRIES = 5;

/**
 * Stores a listed Stripe object as a `source: "backfill"` event in the object's own stream, unless
 * the newest snapshot the store already holds of it (by `created`, then stream order: the read
 * models' rule) is the same state. That makes a second backfill append nothing, and a backfill
 * after a crash re-record nothing it had stored.
 *
 * The event is shaped as a Stripe Event (`evt_backfill_...`, type `<object>.backfilled`, `created` =
 * when the page was requested) so every projector, the feeds and reconciliation read it as they read
 * a webhook. `created` is the request time because the listed state includes every change Stripe
 * made before it: a webhook created earlier holds an older state and loses to it, a later one wins.
 * The append expects the revision the check read, so a webhook landing in between makes it check again.
 */
export async function recordBackfilledObject(
  store: EventStore,
  listed: ListedObject,
  recording: BackfillRecording,
): Promise<RecordOutcome> {
  // The SDK turns `*_decimal` strings into Decimal objects; their JSON is Stripe's string again.
  const object = JSON.parse(JSON.stringify(listed)) as ListedObject;
  // Compared as readers see it: a NUL or lone surrogate as U+FFFD (decision 0018), whichever store reads it.
  const state = canonicalJson(normaliseStripeObject(withStorableText(object)));
  const payload: StripeEventPayload = {
    id: '',
    object: 'event',
    type: BACKFILLED_EVENT_TYPE[object.object] ?? `${object.object}.backfilled`,
    api_version: recording.apiVersion,
    created: recording.requestedAt,
    livemode: object.livemode === true,
    ...(recording.account ? { account: recording.account } : {}),
    data: { object },
  };
  const { stream } = routeStripeEvent(payload);
  for (let attempt = 1; ; attempt += 1) {
    const recent = await store.readStream(stream, { direction: 'backwards', maxCount: RECENT_EVENTS });
    const newest = newestSnapshot(recent);
    if (newest && canonicalJson(normaliseStripeObject(withStorableText(newest))) === state) return 'unchanged';
    const revision = recent[0]?.revision ?? null;
    payload.id = `evt_backfill_${digest(`${recording.account ?? ''}|${object.id}|${revision ?? -1}|${state}`)}`;
    const event = toStoreEvent(payload, undefined, 'backfill');
    event.metadata.correlationId = recording.runId;
    try {
      const result = await store.append(stream, [event], { expectedRevision: revision ?? 'no_stream' });
      return result.duplicate ? 'unchanged' : 'appended';
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError) || attempt >= CONFLICT_RETRIES) throw error;
    }
  }
}

/** The object of the stream's newest Stripe snapshot: highest `created`, then the later revision. */
function newestSnapshot(newestFirst: RecordedEvent[]): Record<string, unknown> | null {
  let best: { created: number; object: Record<string, unknown> } | null = null;
  for (const event of newestFirst) {
    const payload = event.data as { created?: unknown; data?: { object?: unknown } };
    const object = payload.data?.object;
    if (!object || typeof object !== 'object') continue;
    const created = typeof payload.created === 'number' ? payload.created : 0;
    // Newest first: an equal `created` further down is an earlier revision, which loses the tie.
    if (!best || created > best.created) best = { created, object: object as Record<string, unknown> };
  }
  return best?.object ?? null;
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 24);
}
