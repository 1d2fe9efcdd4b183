import { type DynamicModule, type INestApplication, Module, type Type, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { nestLogger, type ProcessLogger } from '@ledgerline/observability';
import { CoreModule, type CoreModuleOptions } from '@ledgerline/runtime';
import { ApiModule } from './api.module';
import { serveConsole } from './console/serve-console';
import { installBodyParsers, installWebhookFrontController } from './stripe-webhooks/http-entry';

export interface ApiAppOptions extends Omit<CoreModuleOptions, 'logger'> {
  /** Further modules run in the same process (the worker, under `npm start`). */
  alongside?: (Type | DynamicModule)[];
  /** The process's logger (runProcess gives it); false or none: nothing is logged (in-process tests). */
  logger?: ProcessLogger | false;
  /** The built console to serve at /console; dist/console of this checkout unless given (tests build their own). */
  consoleDirectory?: string;
}

/** Builds and initialises the HTTP app; main.ts listens on it, tests drive it with supertest. */
export async function createApiApp(options: ApiAppOptions): Promise<INestApplication> {
  const logger = options.logger || undefined;
  @Module({ imports: [CoreModule.forRoot({ ...options, logger }), ApiModule, ...(options.alongside ?? [])] })
  class ApiAppModule {}

  const app = await NestFactory.create<NestExpressApplication>(ApiAppModule, {
    logger: logger ? nestLogger(logger) : false,
    // A failing start-up is reported by runProcess ("failed to start", with the error), not aborted.
    abortOnError: false,
    // Our own JSON parser (installBodyParsers); the webhook reads its exact bytes itself.
    bodyParser: false,
  });
  app.disable('x-powered-by');
  installBodyParsers(app);
  serveConsole(app, options.consoleDirectory);
  // Query and body DTOs: unknown parameters are refused, and each message names the parameter.
  app.useGlobalPipes(new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true }));
  await app.init();
  installWebhookFrontController(app);
  return app;
}
