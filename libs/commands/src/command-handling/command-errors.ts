/**
 * Why a command was refused. The api maps each kind to its status: `invalid` 400 (with every
 * problem listed), `not_found` 404, `conflict` 409. Nothing is appended for a refused command.
 */
export class CommandRejected extends Error {
  constructor(
    readonly kind: 'invalid' | 'not_found' | 'conflict',
    readonly problems: string[],
  ) {
    super(problems.join('; '));
    this.name = 'CommandRejected';
  }

  static invalid(...problems: string[]): CommandRejected {
    return new CommandRejected('invalid', problems);
  }

  static notFound(problem: string): CommandRejected {
    return new CommandRejected('not_found', [problem]);
  }

  static conflict(problem: string): CommandRejected {
    return new CommandRejected('conflict', [problem]);
  }
}

/** Throws the collected problems at once, so a caller fixes everything in one round trip. */
export function rejectIfAny(problems: (string | null | undefined | false)[]): void {
  const found = problems.filter((p): p is string => typeof p === 'string' && p !== '');
  if (found.length) throw CommandRejected.invalid(...found);
}
