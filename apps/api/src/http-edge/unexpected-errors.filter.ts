import { STATUS_CODES } from 'node:http';
import { type ArgumentsHost, Catch, type HttpServer, HttpStatus } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { Logger } from 'pino';
import { safeError } from '@ledgerline/observability';

/**
 * The api's global exception filter. HttpExceptions are answered as Nest always did. Anything else
 * is a 500 `Internal server error` (or the status of an http-errors error from Express middleware),
 * and a 5xx is logged as one line carrying the error's class, a message built from nothing the
 * user sent (a database error's SQLSTATE and constraint or table names) and the stack's frames;
 * the request id comes with every line logged during the request (the logger's mixin). Nest's own
 * handler logged the whole error, and a failing query with its `parameters` (what was searched
 * for) and PostgreSQL's message (which quotes values).
 */
@Catch()
export class UnexpectedErrorsFilter extends BaseExceptionFilter {
  constructor(
    applicationRef: HttpServer,
    private readonly logger: Logger,
  ) {
    super(applicationRef);
  }

  override handleUnknownError(exception: unknown, host: ArgumentsHost, applicationRef: HttpServer): void {
    const httpError = this.isHttpError(exception);
    const statusCode = httpError ? exception.statusCode : HttpStatus.INTERNAL_SERVER_ERROR;
    const body = httpError
      ? { statusCode, message: this.getHttpErrorMessage(exception) }
      : { statusCode, message: 'Internal server error' };
    const response: unknown = host.getArgByIndex(1);
    if (!applicationRef.isHeadersSent(response)) applicationRef.reply(response, body, statusCode);
    else applicationRef.end(response);
    if (statusCode < 500) return; // a refusal: the access line (warn) says enough
    const err = safeError(exception);
    this.logger.error(
      { context: 'ExceptionsHandler', err },
      `${STATUS_CODES[statusCode] ?? statusCode}: ${err.message}`,
    );
  }
}
