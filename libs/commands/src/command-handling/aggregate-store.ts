import { Inject, Injectable } from '@nestjs/common';
import {
  EVENT_STORE,
  type EventStore,
  type ExpectedRevision,
  type RecordedEvent,
  uuidV5,
} from '@ledgerline/event-store';
import { type CommandContext, platformMetadata } from './command-context';
import type { CommandResult } from './command-result';
import { type DecidedEvent, type Evolver, fold } from './decider';
import { retryOnConflict } from './retry-on-conflict';

const EVENT_ID_NAMESPACE = '0b6c5d2e-7f41-4a38-9e15-c3d7a8f2e694';

/** How often a command is decided again when another one changed its stream in between. */
export const CONCURRENCY_ATTEMPTS = 3;

export interface Loaded<State> {
  state: State;
  /** The stream's revision, or `no_stream`: the expected revision of the append that follows. */
  revision: ExpectedRevision;
  events: RecordedEvent[];
}

export type Appended = CommandResult['events'];

/**
 * Loads an aggregate from its stream, lets the caller decide, and appends the decision with the
 * revision it was decided on. A concurrent change to the stream makes the append fail; the command
 * is then decided again on the new state, and after CONCURRENCY_ATTEMPTS answered as a conflict.
 */
@Injectable()
export class AggregateStore {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async load<State>(stream: string, evolver: Evolver<State>): Promise<Loaded<State>> {
    const events = await this.store.readStream(stream);
    const last = events.at(-1);
    return { state: fold(evolver, events), revision: last ? last.revision : 'no_stream', events };
  }

  async decideAndAppend<State>(
    stream: string,
    evolver: Evolver<State>,
    context: CommandContext,
    decide: (loaded: Loaded<State>) => Promise<DecidedEvent[]> | DecidedEvent[],
  ): Promise<Appended> {
    return retryOnConflict(CONCURRENCY_ATTEMPTS, stream, async () => {
      const loaded = await this.load(stream, evolver);
      const decided = await decide(loaded);
      return decided.length ? this.append(stream, decided, context, loaded.revision) : [];
    });
  }

  /**
   * Appends decided events with this command's metadata. Under an Idempotency-Key their ids derive
   * from the command id, so a retried command that reaches the store again is stored once.
   */
  async append(
    stream: string,
    decided: DecidedEvent[],
    context: CommandContext,
    expectedRevision: ExpectedRevision,
  ): Promise<Appended> {
    const events = decided.map((event, index) => ({
      id: context.idempotent ? uuidV5(`${context.commandId}/${stream}/${index}`, EVENT_ID_NAMESPACE) : undefined,
      type: event.type,
      data: event.data,
      metadata: platformMetadata(context, event.type),
    }));
    const result = await this.store.append(stream, events, { expectedRevision });
    return result.events.map((stored, index) => ({
      eventId: stored.id,
      type: decided[index]!.type,
      stream,
      revision: stored.revision.toString(),
      position: stored.position.toString(),
    }));
  }
}
