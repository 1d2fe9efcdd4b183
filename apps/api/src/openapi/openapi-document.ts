import type { INestApplication } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { PUBLIC_KEY, ROLES_KEY } from '@ledgerline/auth';
import type { Role } from '@ledgerline/config';
import { ledgerlineVersion } from '@ledgerline/runtime';
import pluginMetadata from './plugin-metadata.generated';
import { RESPONSE_SCHEMAS } from './response-schemas.generated';
import type { JsonSchema } from './response-schemas.types';
import { webhookPath } from './webhook-path';

type Operation = NonNullable<OpenAPIObject['paths'][string]['get']>;

const ERROR = { $ref: '#/components/schemas/ErrorResponse' };
const errorAnswer = (description: string) => ({ description, content: { 'application/json': { schema: ERROR } } });
/** Shared answers, referred to by every operation instead of repeated in each. */
const RESPONSES = {
  Error: errorAnswer('Refused or failed: the status says which, the message what is wrong'),
  Unauthorized: errorAnswer('No API key, or an unknown one'),
  Forbidden: errorAnswer("The key's role may not call this route"),
};
const shared = (name: keyof typeof RESPONSES) => ({ $ref: `#/components/responses/${name}` });
const ERROR_SCHEMA: JsonSchema = {
  description: 'Every refusal and failure: the status, what is wrong (a list when several fields are), its name.',
  type: 'object',
  properties: {
    statusCode: { type: 'number' },
    message: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
    error: { type: 'string' },
  },
  required: ['statusCode', 'message'],
};

/**
 * The api's OpenAPI 3.1 description: routes, parameters and request bodies from @nestjs/swagger and
 * its CLI plugin's metadata; answers from the read models' types (response-schemas.generated.ts);
 * the role each route needs from @Roles/@Public; the error shape. Served at /openapi.json and
 * committed as apps/api/openapi.json (openapi.e2e.spec.ts keeps the two equal).
 */
export async function openApiDocument(app: INestApplication): Promise<OpenAPIObject> {
  await SwaggerModule.loadPluginMetadata(pluginMetadata);
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('Ledgerline')
    .setDescription(
      'Event-sourced Stripe sync engine: support, commands, feeds and administration. Every route but the ' +
        'public ones takes an API key (`Authorization: Bearer <key>`); `x-roles` names the roles that may call it ' +
        '(`admin` always may). Errors answer `ErrorResponse`.',
    )
    .setVersion(ledgerlineVersion())
    .setLicense('Apache-2.0', 'https://www.apache.org/licenses/LICENSE-2.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key from API_KEYS.' }, 'apiKey')
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controller, method) => `${controller}_${method}`,
  });
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, ...RESPONSE_SCHEMAS.schemas, ErrorResponse: ERROR_SCHEMA },
    responses: RESPONSES,
  } as OpenAPIObject['components'];
  const access = routeAccess(app);
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
      const operation = item[method];
      if (!operation?.operationId) continue;
      describeAnswer(operation, `${method.toUpperCase()} ${path}`);
      describeAccess(operation, access.get(operation.operationId));
    }
  }
  document.paths[webhookPath.path] = webhookPath.item;
  return sorted(document);
}

/** The success answer's schema from the generated ones; every error as ErrorResponse. */
function describeAnswer(operation: Operation, route: string): void {
  const answer = RESPONSE_SCHEMAS.operations[operation.operationId!];
  const success = Object.keys(operation.responses).find((status) => status.startsWith('2'));
  if (!answer && success && !operation.responses[success]?.['content' as never]) {
    throw new Error(`${route} (${operation.operationId}) has no answer schema: run npm run openapi`);
  }
  if (answer && success) {
    const response = operation.responses[success] as { description?: string; content?: unknown };
    response.description ||= 'OK';
    if (answer.schema) response.content = contentOf(answer.schema, answer.produces ?? []);
    else delete response.content;
  }
  operation.responses['default'] = shared('Error');
}

/** JSON, or for a route that also answers text (`@ApiProduces`), the text under its media type. */
function contentOf(schema: JsonSchema, produces: string[]): Record<string, { schema: JsonSchema }> {
  const text = produces.find((type) => type !== 'application/json');
  const parts = schema.anyOf ?? [schema];
  const strings = parts.filter((part) => part.type === 'string' && !part.enum && !part.const);
  const json = parts.filter((part) => !strings.includes(part));
  const content: Record<string, { schema: JsonSchema }> = {};
  if (json.length > 0) content['application/json'] = { schema: json.length === 1 ? json[0]! : { anyOf: json } };
  if (strings.length > 0) content[text ?? 'text/plain'] = { schema: { type: 'string' } };
  return content;
}

function describeAccess(operation: Operation, access: Role[] | 'public' | undefined): void {
  if (access === undefined) throw new Error(`No controller method for operation ${operation.operationId}`);
  const extended = operation as Operation & { 'x-roles'?: string[] };
  if (access === 'public') {
    operation.security = [];
    extended['x-roles'] = [];
    return;
  }
  operation.security = [{ apiKey: [] }];
  extended['x-roles'] = [...new Set([...access, 'admin'])];
  const roles = extended['x-roles'].join(' or ');
  operation.description = [operation.description, `Needs role ${roles}.`].filter(Boolean).join('\n\n');
  operation.responses['401'] = shared('Unauthorized');
  operation.responses['403'] = shared('Forbidden');
}

/** Each controller method's roles (admin-only when none are named) or `public`, by operation id. */
function routeAccess(app: INestApplication): Map<string, Role[] | 'public'> {
  const access = new Map<string, Role[] | 'public'>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => object) | null;
      if (!controller) continue;
      const prototype = controller.prototype as Record<string, unknown>;
      for (const method of Object.getOwnPropertyNames(prototype)) {
        if (method === 'constructor' || typeof prototype[method] !== 'function') continue;
        const targets = [prototype[method] as object, controller];
        const isPublic = targets.some((target) => Reflect.getMetadata(PUBLIC_KEY, target) === true);
        const roles = targets.map((target) => Reflect.getMetadata(ROLES_KEY, target) as Role[] | undefined);
        access.set(`${controller.name}_${method}`, isPublic ? 'public' : (roles.find(Boolean) ?? []));
      }
    }
  }
  return access;
}

/** Paths and components in a fixed order, so the committed file changes only when the API does. */
function sorted(document: OpenAPIObject): OpenAPIObject {
  const byKey = <T>(record: Record<string, T>) =>
    Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
  return {
    ...document,
    paths: byKey(document.paths),
    components: { ...document.components, schemas: byKey(document.components?.schemas ?? {}) },
  };
}
