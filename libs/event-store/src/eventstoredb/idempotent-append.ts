import { setTimeout as sleep } from 'node:timers/promises';
import {
  ANY,
  BACKWARDS,
  END,
  FORWARDS,
  NO_STREAM,
  WrongExpectedVersionError,
  jsonEvent,
  type EventData,
  type JSONType,
} from '@eventstore/db-client';
import { dataValue, type ValidatedEvent } from '../append-validation';
import { EventStoreError, IdempotencyConflictError } from '../errors';
import type { AppendedEvent, AppendResult, ExpectedRevision } from '../event-store.port';
import {
  assertExpectedRevision,
  eventPosition,
  isPlainObject,
  markerStream,
  toClientExpectedRevision,
  translateAppendError,
  type EventStoreDbAccess,
} from './eventstoredb-mapping';

/*
 * Durable idempotency on EventStoreDB.
 *
 * The server dedupes event ids reliably only for an append with an exact expected revision; for
 * `any` it relies on an in-memory cache that a restart or a busy node forgets. So every append that
 * carries caller ids goes through marker streams `ll_dedupe-<event id>`:
 *
 * 1. Claim: append `DedupeClaimed { stream, fromRevision }` to each id's marker with NO_STREAM.
 *    fromRevision is the target's last revision read before the claim, so no event of the batch
 *    can sit at or below it: nobody writes an id before its first claim exists.
 * 2. Every write of the batch uses an exact expected revision R: the last revision we have looked
 *    at. It succeeds only if nothing was appended after what we looked at, so two writers of the
 *    same ids cannot both store them. The loser gets WrongExpectedVersion, scans what was appended
 *    since R for its ids and finds the winner's events (a duplicate), finds none (an unrelated
 *    writer: re-check the caller's expected revision and retry, bounded), or finds some (conflict).
 *    A loser that sent the very same ids with the very same R gets a success instead: the server's
 *    own idempotency replays the winner's result. So a writer reports "new" only if it also wins
 *    `DedupeCommitted` as revision 1 of the first id's marker (right after the claim).
 * 3. A claim that already exists is resolved instead of trusted: `DedupeCommitted` says where the
 *    events are; a bare `DedupeClaimed` means the claimant is in flight or crashed, so we scan the
 *    target from its fromRevision + 1 and either find the events or take over the write under
 *    rule 2, racing the claimant safely. Claims left bare for long are completed by whoever finds
 *    the events, so later look-ups need no scan.
 *
 * Appends without caller ids cannot repeat, so they skip the claim but still get a DedupeCommitted
 * marker (always written: it is one small append) so that readEventById finds every event.
 */
const MAX_ATTEMPTS = 20;
/** A claimant that has not recorded its commit after this long is not going to. */
const STALE_CLAIM_MS = 60_000;
const CLAIMED = 'DedupeClaimed';
const COMMITTED = 'DedupeCommitted';

interface Claim {
  stream: string;
  fromRevision: bigint;
  claimedAt: Date;
}
interface Commit {
  stream: string;
  ids: string[];
  revisions: bigint[];
  positions: bigint[];
}
interface Marker {
  claim: Claim | null;
  commit: Commit | null;
}
export interface StoredLocation {
  stream: string;
  revision: bigint;
  position: bigint;
}
interface Scan {
  found: Map<string, StoredLocation>;
  lastRevision: bigint | null;
}

export class IdempotentAppender {
  constructor(private readonly store: EventStoreDbAccess) {}

  append(
    stream: string,
    expected: ExpectedRevision,
    events: ValidatedEvent[],
    callerIds: boolean,
  ): Promise<AppendResult> {
    const data = events.map((event) =>
      jsonEvent({ id: event.id, type: event.type, data: dataValue(event.data) as JSONType, metadata: event.metadata }),
    );
    return callerIds ? this.appendClaimed(stream, expected, data) : this.appendPlain(stream, expected, data);
  }

  /** Where an event id is stored, from its marker; null when it has none. */
  async locate(eventId: string): Promise<StoredLocation | null> {
    const id = eventId.toLowerCase();
    const marker = await this.readMarker(id);
    if (marker.commit) return locationIn(marker.commit, id);
    if (!marker.claim) return null;
    const scan = await this.scan(marker.claim.stream, [id], marker.claim.fromRevision);
    return scan.found.get(id) ?? null;
  }

  private async appendPlain(stream: string, expected: ExpectedRevision, data: EventData[]): Promise<AppendResult> {
    const result = await this.store.client
      .appendToStream(stream, data, { expectedRevision: toClientExpectedRevision(expected) })
      .catch((error: unknown) => Promise.reject(translateAppendError(stream, expected, error)));
    const events = await this.readBack(stream, data, result.nextExpectedRevision);
    await this.writeCommitted(stream, events, false);
    return { stream, duplicate: false, events, nextExpectedRevision: result.nextExpectedRevision };
  }

  private async appendClaimed(stream: string, expected: ExpectedRevision, data: EventData[]): Promise<AppendResult> {
    const ids = data.map((event) => event.id);
    let lastRevision = await this.lastRevision(stream);
    const claimed = await Promise.all(ids.map((id) => this.claim(id, stream, lastRevision)));
    const stored = new Map<string, StoredLocation>();
    const stale: string[] = [];
    const contested = ids.filter((_, i) => !claimed[i]);
    if (contested.length) {
      // Scan from the oldest unresolved claim (and from our own, which takers may have acted on).
      let scanAfter: bigint | null = null;
      const markers = await Promise.all(contested.map((id) => this.readMarker(id)));
      for (const [i, marker] of markers.entries()) {
        const id = contested[i]!;
        const location = marker.commit && locationIn(marker.commit, id);
        if (location) {
          stored.set(id, location);
        } else if (marker.claim && marker.claim.stream !== stream) {
          // Both writes cannot be guarded by one expected revision, so the first claimant keeps the id.
          throw new IdempotencyConflictError(
            stream,
            [id],
            `event ${id} is claimed by an append to "${marker.claim.stream}"`,
          );
        } else {
          scanAfter = min(scanAfter ?? lastRevision ?? -1n, marker.claim?.fromRevision ?? -1n);
          if (marker.claim && Date.now() - marker.claim.claimedAt.getTime() > STALE_CLAIM_MS) stale.push(id);
        }
      }
      if (scanAfter !== null) {
        const scan = await this.scan(stream, ids, scanAfter);
        scan.found.forEach((location, id) => stored.set(id, location));
        lastRevision = scan.lastRevision;
      }
      const decided = await this.decide(stream, ids, stored, stale);
      if (decided) return decided;
    }
    for (let attempt = 1; ; attempt++) {
      assertExpectedRevision(stream, expected, lastRevision);
      try {
        const result = await this.store.client.appendToStream(stream, data, {
          expectedRevision: lastRevision ?? NO_STREAM,
        });
        const events = await this.readBack(stream, data, result.nextExpectedRevision);
        const won = await this.writeCommitted(stream, events, true);
        return { stream, duplicate: !won, events, nextExpectedRevision: result.nextExpectedRevision };
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
        if (attempt >= MAX_ATTEMPTS) throw translateAppendError(stream, expected, error);
      }
      const scan = await this.scan(stream, ids, lastRevision ?? -1n);
      scan.found.forEach((location, id) => stored.set(id, location));
      const decided = await this.decide(stream, ids, stored, stale);
      if (decided) return decided;
      lastRevision = scan.lastRevision;
      await sleep(Math.floor(Math.random() * 5 * attempt));
    }
  }

  /** The outcome once some ids are known to be stored: a duplicate, or a conflict. */
  private async decide(
    stream: string,
    ids: string[],
    stored: Map<string, StoredLocation>,
    staleClaims: string[],
  ): Promise<AppendResult | null> {
    if (stored.size === 0) return null;
    const foreign = ids.find((id) => stored.has(id) && stored.get(id)!.stream !== stream);
    if (foreign !== undefined) {
      const where = stored.get(foreign)!.stream;
      throw new IdempotencyConflictError(stream, [foreign], `event ${foreign} is already stored in stream "${where}"`);
    }
    if (stored.size !== ids.length) {
      throw new IdempotencyConflictError(
        stream,
        ids.filter((id) => stored.has(id)),
        `${stored.size} of the ${ids.length} events are already stored; an append is all or nothing`,
      );
    }
    const events = ids.map((id) => ({ id, revision: stored.get(id)!.revision, position: stored.get(id)!.position }));
    if (staleClaims.length) await this.writeCommitted(stream, events, true, staleClaims);
    const last = events.reduce((max, event) => (event.revision > max ? event.revision : max), -1n);
    return { stream, duplicate: true, events, nextExpectedRevision: last };
  }

  private async readBack(stream: string, data: EventData[], lastRevision: bigint): Promise<AppendedEvent[]> {
    const first = lastRevision - BigInt(data.length) + 1n;
    const written = await this.store.readRaw(stream, { fromRevision: first, maxCount: data.length });
    const byId = new Map(written.flatMap(({ event }) => (event ? [[event.id.toLowerCase(), event] as const] : [])));
    return data.map(({ id }) => {
      const event = byId.get(id);
      if (!event) throw new EventStoreError(`Event ${id} was appended to "${stream}" but could not be read back`);
      return { id, revision: event.revision, position: eventPosition(event.position) };
    });
  }

  private async claim(id: string, stream: string, fromRevision: bigint | null): Promise<boolean> {
    const claim = { stream, fromRevision: (fromRevision ?? -1n).toString() };
    try {
      await this.store.client.appendToStream(markerStream(id), jsonEvent({ type: CLAIMED, data: claim }), {
        expectedRevision: NO_STREAM,
      });
      return true;
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) return false;
      throw error;
    }
  }

  /**
   * Records where a batch is stored in its markers. With `exclusive` the first marker's record
   * must directly follow its claim: false when someone else recorded it first. Other marker writes
   * are best effort; a missing one only costs a scan later.
   */
  private async writeCommitted(
    stream: string,
    events: AppendedEvent[],
    exclusive: boolean,
    markers: string[] = events.map((event) => event.id),
  ): Promise<boolean> {
    const commit = {
      stream,
      ids: events.map((event) => event.id),
      revisions: events.map((event) => event.revision.toString()),
      positions: events.map((event) => event.position.toString()),
    };
    const write = (id: string, exclusively: boolean) =>
      this.store.client.appendToStream(markerStream(id), jsonEvent({ type: COMMITTED, data: commit }), {
        expectedRevision: exclusively ? 0n : ANY,
      });
    const [first, ...rest] = markers;
    const results = await Promise.allSettled([write(first!, exclusive), ...rest.map((id) => write(id, false))]);
    return !(results[0]!.status === 'rejected' && results[0]!.reason instanceof WrongExpectedVersionError);
  }

  private async readMarker(id: string): Promise<Marker> {
    const marker: Marker = { claim: null, commit: null };
    for (const { event } of await this.store.readRaw(markerStream(id), { direction: FORWARDS })) {
      if (event?.type === CLAIMED) marker.claim ??= parseClaim(event.data, event.created);
      if (event?.type === COMMITTED) marker.commit = parseCommit(event.data) ?? marker.commit;
    }
    return marker;
  }

  /** Events of `stream` after `afterRevision` that carry one of `ids`, and the last revision seen. */
  private async scan(stream: string, ids: string[], afterRevision: bigint): Promise<Scan> {
    const wanted = new Set(ids);
    const found = new Map<string, StoredLocation>();
    let lastRevision = afterRevision >= 0n ? afterRevision : null;
    for (const { event } of await this.store.readRaw(stream, { fromRevision: afterRevision + 1n })) {
      if (!event) continue;
      lastRevision = event.revision;
      const id = event.id.toLowerCase();
      if (wanted.has(id)) found.set(id, { stream, revision: event.revision, position: eventPosition(event.position) });
    }
    return { found, lastRevision };
  }

  private async lastRevision(stream: string): Promise<bigint | null> {
    const [last] = await this.store.readRaw(stream, { direction: BACKWARDS, fromRevision: END, maxCount: 1 });
    return last?.event ? last.event.revision : null;
  }
}

function locationIn(commit: Commit, id: string): StoredLocation | null {
  const i = commit.ids.indexOf(id);
  return i === -1 ? null : { stream: commit.stream, revision: commit.revisions[i]!, position: commit.positions[i]! };
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

function parseClaim(data: unknown, claimedAt: Date): Claim | null {
  if (!isPlainObject(data) || typeof data.stream !== 'string' || typeof data.fromRevision !== 'string') return null;
  return { stream: data.stream, fromRevision: BigInt(data.fromRevision), claimedAt };
}

function parseCommit(data: unknown): Commit | null {
  if (!isPlainObject(data) || typeof data.stream !== 'string') return null;
  const { ids, revisions, positions } = data;
  if (!isStrings(ids) || !isStrings(revisions) || !isStrings(positions) || ids.length !== revisions.length) return null;
  return { stream: data.stream, ids, revisions: revisions.map(BigInt), positions: positions.map(BigInt) };
}

function isStrings(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}
