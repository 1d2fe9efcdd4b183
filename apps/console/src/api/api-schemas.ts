/**
 * The api's answers as its OpenAPI description gives them (apps/api/openapi.json, generated from the
 * server's types by `npm run openapi`). A types-only import: the console still knows the api only by
 * its HTTP contract, and this is that contract's text.
 */
import type { components, paths } from '../../../../libs/api-client/src/openapi.generated';

export type Schemas = components['schemas'];

/** The statuses a route answers with on success. */
type Success = 200 | 201 | 202;

/**
 * The JSON a route answers on success (`Answer<'/admin/parked', 'get'>`): for the answers the
 * description writes out in the route rather than naming a component.
 */
export type Answer<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  responses: infer R;
}
  ? R[Success & keyof R] extends { content: { 'application/json': infer Json } }
    ? Json
    : never
  : never;

/** The query parameters a route takes (`Query<'/subscriptions', 'get'>['status']`). */
export type Query<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  parameters: { query?: infer Q };
}
  ? NonNullable<Q>
  : never;
