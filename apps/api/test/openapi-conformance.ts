import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

interface Operation {
  operationId: string;
  responses: Record<string, { $ref?: string; content?: Record<string, { schema: unknown }> }>;
  'x-roles'?: string[];
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
}

/**
 * Checks real answers against the api's description, strictly: an object may hold no property its
 * schema does not name, so an answer that gained or lost a field fails as surely as a wrong type.
 */
export class SpecConformance {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly validators = new Map<string, ValidateFunction>();
  readonly operations = new Map<string, Operation & { method: string; path: string }>();

  constructor(document: OpenApiDocument) {
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: 'spec', $defs: strict(retarget(document.components.schemas)) });
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        this.operations.set(operation.operationId, { ...operation, method, path });
      }
    }
  }

  /** Why `body`, answered with `status` by the operation, does not match its schema; none when it does. */
  problems(operationId: string, status: number, body: unknown): string[] {
    const operation = this.operations.get(operationId);
    if (!operation) return [`no operation ${operationId} in the description`];
    const schema = operation.responses[String(status)]?.content?.['application/json']?.schema;
    if (!schema) return [`${operationId} declares no JSON answer for ${status}`];
    const key = `${operationId} ${status}`;
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(strict(retarget(schema)) as object);
      this.validators.set(key, validate);
    }
    if (validate(body)) return [];
    return (validate.errors ?? []).map(
      (error) => `${error.instancePath || '/'} ${error.message ?? ''} ${JSON.stringify(error.params)}`,
    );
  }
}

/** `#/components/schemas/X` → `spec#/$defs/X`, where the components are registered. */
function retarget(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(retarget);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key,
      key === '$ref' && typeof inner === 'string'
        ? inner.replace('#/components/schemas/', 'spec#/$defs/')
        : retarget(inner),
    ]),
  );
}

/** Every object schema that names its properties and says nothing of others takes no others. */
function strict(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strict);
  if (!value || typeof value !== 'object') return value;
  const schema = Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, strict(inner)]));
  if ('properties' in schema && !('additionalProperties' in schema)) schema.additionalProperties = false;
  return schema;
}
