/** Typed errors of the event store port. Callers branch on the class, never on the message. */
export class EventStoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The append was malformed: nothing was stored. */
export class InvalidAppendError extends EventStoreError {}

export class WrongExpectedRevisionError extends EventStoreError {
  constructor(
    readonly stream: string,
    readonly expected: string,
    readonly actual: bigint | null,
  ) {
    super(
      `Wrong expected revision for stream "${stream}": expected ${expected}, ` +
        `actual ${actual === null ? 'no stream' : actual.toString()}`,
    );
  }
}

/** Some, but not all, of an append's event ids are already stored (or stored in another stream). */
export class IdempotencyConflictError extends EventStoreError {
  constructor(
    readonly stream: string,
    readonly eventIds: string[],
    detail: string,
  ) {
    super(`Idempotency conflict appending to "${stream}": ${detail}`);
  }
}

export class ConsumerGroupNotFoundError extends EventStoreError {
  constructor(readonly group: string) {
    super(`Consumer group "${group}" does not exist`);
  }
}

export class ConsumerGroupExistsError extends EventStoreError {
  constructor(readonly group: string) {
    super(`Consumer group "${group}" already exists`);
  }
}

export class NotOutstandingError extends EventStoreError {
  constructor(
    readonly group: string,
    readonly eventId: string,
  ) {
    super(`Event ${eventId} is not outstanding for this member of consumer group "${group}"`);
  }
}
