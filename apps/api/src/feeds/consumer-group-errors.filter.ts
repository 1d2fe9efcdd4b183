import { type ArgumentsHost, Catch, type ExceptionFilter, HttpStatus } from '@nestjs/common';
import type { Response } from 'express';
import { ConsumerGroupExistsError, ConsumerGroupNotFoundError, NotOutstandingError } from '@ledgerline/event-store';

/** The store's consumer-group errors as HTTP answers: unknown group 404, an existing one or an event not outstanding 409. */
@Catch(ConsumerGroupNotFoundError, ConsumerGroupExistsError, NotOutstandingError)
export class ConsumerGroupErrors implements ExceptionFilter {
  catch(error: Error, host: ArgumentsHost): void {
    const status = error instanceof ConsumerGroupNotFoundError ? HttpStatus.NOT_FOUND : HttpStatus.CONFLICT;
    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent) {
      response.end();
      return;
    }
    response.status(status).json({ statusCode: status, message: error.message, error: HttpStatus[status] });
  }
}
