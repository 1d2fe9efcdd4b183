import { isUtf8 } from 'node:buffer';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import {
  BadRequestException,
  type CallHandler,
  type ExecutionContext,
  HttpException,
  Injectable,
  type NestInterceptor,
  PayloadTooLargeException,
} from '@nestjs/common';
import express from 'express';
import { from, type Observable, switchMap } from 'rxjs';
import { FORBIDDEN_KEYS, shownName, textProblem } from './text-checks';

/**
 * The deepest a JSON body may nest: 32 levels of objects and arrays, the body itself counting as
 * one. The deepest command today is 3 (a body, its address, a field of it); 32 leaves room for any
 * command to come while keeping far from where recursive code breaks: class-transformer and
 * class-validator recurse once a level and overflowed the stack on a field nested 10,000 deep
 * (a 500), and JSON.parse of a megabyte of `[` takes half a second. Bodies beyond it are refused
 * from their bytes, before they are parsed.
 */
export const MAX_BODY_DEPTH = 32;
export const BODY_LIMIT_BYTES = 1024 * 1024;

/** A refusal from `verify`: body-parser keeps its status and message. */
function refusal(status: number, message: string): Error {
  return Object.assign(new Error(message), { status, expose: true });
}

/**
 * Whether the JSON text nests deeper than `max`, counting brackets outside strings. UTF-8 keeps
 * every byte of a multi-byte character above 0x7f, so bytes are enough.
 */
export function nestsDeeperThan(bytes: Buffer, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (inString) {
      if (byte === 0x5c)
        i++; // a backslash escapes the next byte (\" and \\ included)
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) {
      inString = true;
    } else if (byte === 0x7b || byte === 0x5b) {
      // { or [
      if (++depth > max) return true;
    } else if (byte === 0x7d || byte === 0x5d) {
      // } or ]
      depth--;
    }
  }
  return false;
}

/** body-parser's `verify`, on the raw bytes before JSON.parse: UTF-8 only, and no deeper than MAX_BODY_DEPTH. */
function verifyJsonBytes(_request: IncomingMessage, _response: ServerResponse, bytes: Buffer, encoding: string): void {
  if (encoding.toLowerCase() !== 'utf-8' && encoding.toLowerCase() !== 'utf8') {
    throw refusal(415, `Send JSON bodies as UTF-8, not ${encoding.toUpperCase()}`);
  }
  if (!isUtf8(bytes)) throw refusal(400, 'The body is not valid UTF-8');
  if (nestsDeeperThan(bytes, MAX_BODY_DEPTH)) {
    throw refusal(400, `The body nests deeper than ${MAX_BODY_DEPTH} levels of objects and arrays`);
  }
}

/**
 * What in a parsed JSON body cannot be taken, naming its place (`address.city`), or null: a string
 * (value or property name) with a NUL or a lone surrogate (JSON's `\u0000` and `\ud800` escapes
 * parse to them), and a property named `__proto__`, `constructor` or `prototype` (JSON.parse keeps
 * `__proto__` as an own property, which class-transformer would then drop without a word).
 * Iterative, so it needs no stack of its own whatever the body.
 */
export function jsonBodyProblem(body: unknown): string | null {
  const pending: { value: unknown; path: string }[] = [{ value: body, path: '' }];
  while (pending.length > 0) {
    const { value, path } = pending.pop()!;
    if (typeof value === 'string') {
      const problem = textProblem(value);
      if (problem) return `${path || 'The body'} ${problem}`;
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => pending.push({ value: item, path: path ? `${path}.${index}` : String(index) }));
    } else if (typeof value === 'object' && value !== null) {
      for (const key of Object.keys(value)) {
        const name = path ? `${path}.${shownName(key)}` : shownName(key);
        const keyProblem = textProblem(key);
        if (keyProblem) return `The name of property ${name} ${keyProblem}`;
        if (FORBIDDEN_KEYS.has(key)) return `property ${name} should not exist`;
        pending.push({ value: (value as Record<string, unknown>)[key], path: name });
      }
    }
  }
  return null;
}

/** body-parser's errors as Nest's: 413 with our wording, other 4xx as they are, the rest thrown on. */
function asHttpException(error: unknown): unknown {
  const status = (error as { status?: unknown })?.status;
  if (typeof status !== 'number' || status < 400 || status >= 500) return error;
  if (status === 413) return new PayloadTooLargeException('The body is larger than the 1 MiB limit');
  const message = (error as { message?: unknown }).message;
  return new HttpException(
    { statusCode: status, message: typeof message === 'string' ? message : 'Bad request', error: STATUS_CODES[status] },
    status,
  );
}

/**
 * Reads JSON bodies after the guards, not before: a request without a valid API key (or without
 * the route's role) is answered 401/403 from its headers alone, whatever its body, malformed or
 * too large; its bytes are never parsed. Guards run before interceptors, and the arguments of the
 * handler (`@Body()`, through the ValidationPipe and class-transformer) are resolved after them,
 * so this is the first point where the route is known to accept the caller and the last before
 * anything reads the body. It also needs no list of public routes of its own: the guard decides.
 *
 * Then the body is judged before any transformation: not UTF-8, nested too deep, a NUL or a lone
 * surrogate anywhere, or a prototype-machinery key: 400 naming what and where. The Stripe webhook
 * never gets here: it is served before Express, from its exact bytes (http-entry.ts).
 */
@Injectable()
export class JsonBodyAfterAuth implements NestInterceptor {
  private readonly parse = express.json({ limit: BODY_LIMIT_BYTES, verify: verifyJsonBytes });

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    return from(this.read(http.getRequest<express.Request>(), http.getResponse<express.Response>())).pipe(
      switchMap(() => next.handle()),
    );
  }

  private async read(request: express.Request, response: express.Response): Promise<void> {
    await new Promise<void>((done, fail) =>
      this.parse(request, response, (error?: unknown) => (error ? fail(asHttpException(error)) : done())),
    );
    const problem = jsonBodyProblem(request.body);
    if (problem) throw new BadRequestException([problem]);
  }
}
