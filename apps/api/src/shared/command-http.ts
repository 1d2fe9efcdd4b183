import {
  BadRequestException,
  ConflictException,
  createParamDecorator,
  type ExecutionContext,
  HttpException,
  NotFoundException,
} from '@nestjs/common';
import type { Principal } from '@ledgerline/auth';
import { type CommandContext, commandContext, CommandRejected } from '@ledgerline/commands';

export interface CommandRequest {
  method: string;
  originalUrl: string;
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
  principal?: Principal;
}

export function header(request: CommandRequest, name: string): string | null {
  const value = request.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

/** The command's actor and correlation, from the API key and the Idempotency-Key / X-Request-Id headers. */
export const IssuedCommand = createParamDecorator((_data: unknown, context: ExecutionContext): CommandContext => {
  const request = context.switchToHttp().getRequest<CommandRequest>();
  return commandContext({
    actor: request.principal!.name,
    idempotencyKey: header(request, 'idempotency-key'),
    requestId: header(request, 'x-request-id'),
  });
});

/** A refused command as NestJS's error body, every problem listed in `message`. */
export function toHttpException(error: unknown): unknown {
  if (!(error instanceof CommandRejected)) return error;
  switch (error.kind) {
    case 'invalid':
      return new BadRequestException(error.problems);
    case 'not_found':
      return new NotFoundException(error.problems.join('; '));
    case 'conflict':
      return new ConflictException(error.problems.join('; '));
  }
}

/** Answers that are the command's final word and so are replayed to a repeated Idempotency-Key. */
export function isFinalAnswer(error: unknown): error is HttpException {
  return error instanceof HttpException && [400, 404, 422].includes(error.getStatus());
}
