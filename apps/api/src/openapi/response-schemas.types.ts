/** A JSON Schema (2020-12, as OpenAPI 3.1 uses it), as far as the answers' schemas need. */
export interface JsonSchema {
  type?: string | string[];
  format?: string;
  const?: string | number;
  enum?: (string | null)[];
  items?: JsonSchema;
  prefixItems?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
  anyOf?: JsonSchema[];
  $ref?: string;
  description?: string;
}

/** What apps/api/openapi/response-schemas.ts reads off the controllers (response-schemas.generated.ts). */
export interface ResponseSchemas {
  /** Components by name: the read models' interfaces and aliases. */
  schemas: Record<string, JsonSchema>;
  /** By `<Controller>_<method>`, swagger's operation id: the success answer's schema, none for no body. */
  operations: Record<string, { schema?: JsonSchema; produces?: string[] }>;
}
