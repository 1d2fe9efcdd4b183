import { BadRequestException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { FORBIDDEN_KEYS, shownName, textProblem } from './text-checks';

/** A `%` not followed by two hex digits. */
const MALFORMED_ESCAPE = /%(?![0-9A-Fa-f]{2})/;

type Decoded = { text: string; problem?: undefined } | { text?: undefined; problem: string };

/** Percent-decodes one component strictly: a malformed escape or bytes that are not UTF-8 are a problem. */
function decode(component: string): Decoded {
  if (MALFORMED_ESCAPE.test(component)) {
    return { problem: 'has malformed percent-encoding (a % not followed by two hex digits)' };
  }
  try {
    return { text: decodeURIComponent(component) };
  } catch {
    return { problem: 'is not valid UTF-8 once percent-decoded' };
  }
}

/**
 * What is wrong with a request's URL (path and query string), or null. Node itself refuses raw
 * control and non-ASCII bytes in a URL; what is left is what percent-encoding can smuggle in: a NUL
 * (`%00`), bytes that are not UTF-8 (`%FF`, a lone surrogate as `%ED%A0%80`) and malformed escapes,
 * which Express would pass on as they are (or as U+FFFD), and PostgreSQL would refuse with a 500.
 * A query key naming the prototype machinery is refused as an unknown field.
 */
export function urlProblem(url: string): string | null {
  const mark = url.indexOf('?');
  const path = mark === -1 ? url : url.slice(0, mark);
  const decodedPath = decode(path);
  if (decodedPath.problem !== undefined) return `The path ${decodedPath.problem}`;
  const pathProblem = textProblem(decodedPath.text);
  if (pathProblem) return `The path ${pathProblem.replace('\\u0000', '%00')}`;
  if (mark === -1) return null;

  for (const pair of url.slice(mark + 1).split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    // As Express's query parser reads them: `+` is a space.
    const rawKey = (equals === -1 ? pair : pair.slice(0, equals)).replace(/\+/g, ' ');
    const rawValue = equals === -1 ? '' : pair.slice(equals + 1).replace(/\+/g, ' ');
    const key = decode(rawKey);
    if (key.problem !== undefined) return `A query parameter's name ${key.problem}`;
    const keyProblem = textProblem(key.text);
    if (keyProblem) return `The name of query parameter ${shownName(key.text)} ${keyProblem}`;
    if (FORBIDDEN_KEYS.has(key.text)) return `property ${key.text} should not exist`;
    const value = decode(rawValue);
    if (value.problem !== undefined) return `Query parameter ${shownName(key.text)} ${value.problem}`;
    const valueProblem = textProblem(value.text);
    if (valueProblem) return `Query parameter ${shownName(key.text)} ${valueProblem.replace('\\u0000', '%00')}`;
  }
  return null;
}

/**
 * Express middleware, before everything else: a URL no route could read as text is a 400 naming
 * what is wrong, before any guard, parser or query runs. It covers every route, present and future,
 * and the console's static files (the Stripe webhook is served before Express and has no query).
 */
export function refuseUnreadableUrls(request: Request, _response: Response, next: NextFunction): void {
  const problem = urlProblem(request.url);
  next(problem === null ? undefined : new BadRequestException([problem]));
}
