import { type DynamicModule, type INestApplication, Module, type Type, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { OpenAPIObject } from '@nestjs/swagger';
import { nestLogger, type ProcessLogger } from '@ledgerline/observability';
import { CoreModule, type CoreModuleOptions } from '@ledgerline/runtime';
import { ApiModule } from './api.module';
import { serveConsole } from './console/serve-console';
import { openApiDocument } from './openapi/openapi-document';
import { serveOpenApi } from './openapi/serve-openapi';
import { installEdgeDefences } from './http-edge/install-edge-defences';
import { installWebhookFrontController } from './stripe-webhooks/http-entry';

export interface ApiAppOptions extends Omit<CoreModuleOptions, 'logger'> {
  /** Further modules run in the same process (the worker, under `npm start`). */
  alongside?: (Type | DynamicModule)[];
  /** The process's logger (runProcess gives it); false or none: nothing is logged (in-process tests). */
  logger?: ProcessLogger | false;
  /** The built console to serve at /console; dist/console of this checkout unless given (tests build their own). */
  consoleDirectory?: string;
}

/**
 * The api's OpenAPI document, from a preview of the app: its modules are read, nothing is
 * instantiated, nothing connects (`npm run openapi` runs without a database).
 */
export async function describeApi(options: ApiAppOptions): Promise<OpenAPIObject> {
  const app = await NestFactory.create(apiAppModule(options), { preview: true, logger: false, abortOnError: false });
  try {
    return await openApiDocument(app);
  } finally {
    await app.close();
  }
}

function apiAppModule(options: ApiAppOptions): Type {
  @Module({
    imports: [
      CoreModule.forRoot({ ...options, logger: options.logger || undefined }),
      ApiModule,
      ...(options.alongside ?? []),
    ],
  })
  class ApiAppModule {}
  return ApiAppModule;
}

/** Builds and initialises the HTTP app; main.ts listens on it, tests drive it with supertest. */
export async function createApiApp(options: ApiAppOptions): Promise<INestApplication> {
  const logger = options.logger || undefined;
  const app = await NestFactory.create<NestExpressApplication>(apiAppModule(options), {
    logger: logger ? nestLogger(logger) : false,
    // A failing start-up is reported by runProcess ("failed to start", with the error), not aborted.
    abortOnError: false,
    // JSON bodies are read after the API-key guard (installEdgeDefences); the webhook reads its exact bytes itself.
    bodyParser: false,
  });
  app.disable('x-powered-by');
  installEdgeDefences(app);
  serveConsole(app, options.consoleDirectory);
  // Query and body DTOs: unknown parameters are refused, and each message names the parameter.
  app.useGlobalPipes(new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true }));
  // Routes registered before init(), so that they come before Nest's not-found handler.
  serveOpenApi(app, await openApiDocument(app));
  await app.init();
  installWebhookFrontController(app);
  return app;
}
