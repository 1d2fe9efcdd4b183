import { createHash } from 'node:crypto';
import {
  applyDecorators,
  BadRequestException,
  type CallHandler,
  ConflictException,
  type ExecutionContext,
  HttpException,
  Injectable,
  type NestInterceptor,
  UnprocessableEntityException,
  UseInterceptors,
} from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { IdempotencyStore } from '@ledgerline/commands';
import { type CommandRequest, header, isFinalAnswer, toHttpException } from './command-http';

const MAX_KEY_LENGTH = 255;

/**
 * Wraps every command route. Maps refused commands to 400/404/409, and with an Idempotency-Key
 * runs the command once: a repeat gets the first answer (success or final refusal) with
 * `Idempotent-Replayed: true`; a key reused for another request is a 422.
 */
@Injectable()
export class CommandInterceptor implements NestInterceptor {
  constructor(private readonly idempotency: IdempotencyStore) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return from(this.run(context, next));
  }

  private async run(context: ExecutionContext, next: CallHandler): Promise<unknown> {
    const request = context.switchToHttp().getRequest<CommandRequest>();
    const response = context.switchToHttp().getResponse<{ setHeader(name: string, value: string): void }>();
    const key = header(request, 'idempotency-key')?.trim() || null;
    const execute = async () => {
      try {
        return await lastValueFrom(next.handle(), { defaultValue: undefined });
      } catch (error) {
        throw toHttpException(error);
      }
    };
    if (!key) return execute();
    if (key.length > MAX_KEY_LENGTH) {
      throw new BadRequestException([`Idempotency-Key must be at most ${MAX_KEY_LENGTH} characters`]);
    }

    const actor = request.principal!.name;
    const fingerprint = createHash('sha256')
      .update(`${request.method} ${request.originalUrl}\n${JSON.stringify(request.body ?? null)}`)
      .digest('hex');
    const claim = await this.idempotency.claim(actor, key, fingerprint);
    if (claim.kind === 'mismatch') {
      throw new UnprocessableEntityException(
        `Idempotency-Key "${key}" was already used for a different request; use a new key for a new command`,
      );
    }
    if (claim.kind === 'in_progress') {
      throw new ConflictException(`A request with Idempotency-Key "${key}" is still running; retry shortly`);
    }
    if (claim.kind === 'replay') {
      response.setHeader('Idempotent-Replayed', 'true');
      const { statusCode, body } = claim.answer;
      if (statusCode >= 400) throw new HttpException(body as Record<string, unknown>, statusCode);
      return body;
    }
    try {
      const body = await execute();
      await this.idempotency.complete(actor, key, { statusCode: successStatus(context, request), body });
      return body;
    } catch (error) {
      if (isFinalAnswer(error)) {
        await this.idempotency.complete(actor, key, { statusCode: error.getStatus(), body: error.getResponse() });
      } else {
        await this.idempotency.release(actor, key);
      }
      throw error;
    }
  }
}

/** The status the route answers on success (Nest applies it after interceptors run). */
function successStatus(context: ExecutionContext, request: CommandRequest): number {
  const declared: unknown = Reflect.getMetadata(HTTP_CODE_METADATA, context.getHandler());
  return typeof declared === 'number' ? declared : request.method === 'POST' ? 201 : 200;
}

/** Marks a controller's routes as commands: CommandInterceptor, and its header in the API description. */
export const CommandRoutes = (): ClassDecorator =>
  applyDecorators(
    UseInterceptors(CommandInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: `Runs the command once per key (at most ${MAX_KEY_LENGTH} characters): a repeat gets the first answer with \`Idempotent-Replayed: true\`; the key reused for another request is a 422.`,
    }),
  );
