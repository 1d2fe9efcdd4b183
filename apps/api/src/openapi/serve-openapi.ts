import type { INestApplication } from '@nestjs/common';
import { type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

export const OPENAPI_JSON_PATH = '/openapi.json';
export const DOCS_PATH = '/docs';

/**
 * GET /openapi.json (the document) and GET /docs (Swagger UI over it). Public like /health: the
 * description of the API is no secret, and a developer reads it before having a key.
 */
export function serveOpenApi(app: INestApplication, document: OpenAPIObject): void {
  SwaggerModule.setup(DOCS_PATH.slice(1), app, document, {
    jsonDocumentUrl: OPENAPI_JSON_PATH.slice(1),
    raw: ['json'],
    customSiteTitle: 'Ledgerline API',
    swaggerOptions: { persistAuthorization: false, tryItOutEnabled: false },
  });
}
