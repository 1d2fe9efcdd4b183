import { Inject, Injectable } from '@nestjs/common';
import {
  EVENT_STORE,
  type EventStore,
  type ExpectedRevision,
  type RecordedEvent,
  uuidV5,
  WrongExpectedRevisionError,
} from '@ledgerline/event-store';
import { type CommandContext, platformMetadata } from './command-context';
import { CommandRejected } from './command-errors';
import type { CommandResult } from './command-result';
import { type DecidedEvent, type Evolver, fold } from './decider';

const EVENT_ID_NAMESPACE = '0b6c5d2e-7f41-4a38-9e15-c3d7a8f2e694';

/**
 * How often a command is decided when other commands keep changing its stream in between: the one
 * setting every command handler retries by. After the last attempt the command is answered 409.
 */
export const CONCURRENCY_ATTEMPTS = 3;

export interface Loaded<State> {
  stream: string;
  state: State;
  /** The stream's revision, or `no_stream`: the expected revision of the append that follows. */
  revision: ExpectedRevision;
  events: RecordedEvent[];
}

/** One command on one aggregate: how to read the aggregate, and what to decide on it. */
export interface AggregateCommand<Aggregate extends Loaded<unknown>> {
  /** Read again on every attempt, so a decision after a conflict sees what the other command appended. */
  read(): Promise<Aggregate>;
  /** Throws CommandRejected to refuse; no events means there is nothing to do, and nothing is appended. */
  decide(aggregate: Aggregate): Promise<DecidedEvent[]> | DecidedEvent[];
  /** How the 409 after the last attempt names the aggregate (`customer cus_123`); the stream name if not given. */
  name?: string;
}

/** What a command decided, and on which read of its aggregate: handlers build their answers from it. */
export interface Decision<Aggregate> {
  aggregate: Aggregate;
  decided: DecidedEvent[];
  /** The decided events as stored. */
  events: Appended;
}

export type Appended = CommandResult['events'];

/**
 * The one way commands change an aggregate (Emmett's `handleCommand`): read it, decide, append the
 * decision with the revision it was decided on. When another command changed the stream in between,
 * the append fails and the command is read and decided again on the new state, up to
 * CONCURRENCY_ATTEMPTS times; then it is refused as a conflict, for the caller to try again later.
 */
@Injectable()
export class AggregateStore {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async load<State>(stream: string, evolver: Evolver<State>): Promise<Loaded<State>> {
    const events = await this.store.readStream(stream);
    const last = events.at(-1);
    return { stream, state: fold(evolver, events), revision: last ? last.revision : 'no_stream', events };
  }

  async decideAndAppend<Aggregate extends Loaded<unknown>>(
    context: CommandContext,
    command: AggregateCommand<Aggregate>,
  ): Promise<Decision<Aggregate>> {
    for (let attempt = 1; ; attempt++) {
      const aggregate = await command.read();
      const decided = await command.decide(aggregate);
      if (!decided.length) return { aggregate, decided, events: [] };
      try {
        const events = await this.append(aggregate.stream, decided, context, aggregate.revision);
        return { aggregate, decided, events };
      } catch (error) {
        // Only a lost race is worth deciding again; anything else would fail the same way.
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        if (attempt >= CONCURRENCY_ATTEMPTS) {
          throw CommandRejected.conflict(
            `${command.name ?? aggregate.stream} was changed by other commands while this one was decided ` +
              `(${attempt} attempts); try again`,
          );
        }
      }
    }
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
