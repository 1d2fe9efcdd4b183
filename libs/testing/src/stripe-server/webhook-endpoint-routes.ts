import { randomBytes } from 'node:crypto';
import type { FormParams, FormValue } from './form-body';
import { route, type Route } from './routing';
import {
  bool,
  invalidRequest,
  mergeMetadata,
  missingParam,
  newId,
  nowSeconds,
  ok,
  Refusal,
  resourceMissing,
  str,
  type StripeObject,
} from './stripe-objects';
import { stripeCatalogue } from './stripe-catalogue';

const CREATE_PARAMS = new Set(['url', 'enabled_events', 'api_version', 'connect', 'description', 'metadata', 'expand']);
// Stripe cannot change an endpoint's API version or connect flag: they are unknown parameters of an update.
const UPDATE_PARAMS = new Set(['url', 'enabled_events', 'disabled', 'description', 'metadata', 'expand']);
const NOT_PUBLIC = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\]|0\.0\.0\.0)$/;

/**
 * Webhook endpoints (`we_...`), which stripe-stateful-mock does not have: create, update, delete;
 * list and retrieve are the collection's (collections.ts). The signing secret is answered on
 * creation only and kept nowhere, as Stripe does. Event types and API versions are checked against
 * the installed SDK's catalogue, URLs as Stripe checks them (public http(s) only).
 */
export const webhookEndpointRoutes: Route[] = [
  route('POST', '/v1/webhook_endpoints', async ({ params, state }) => {
    refuseUnknown(params, CREATE_PARAMS);
    const url = checkedUrl(params.url);
    const events = checkedEvents(params.enabled_events);
    let apiVersion: string | null = null;
    if (params.api_version !== undefined) {
      apiVersion = str(params.api_version) ?? '';
      if (!stripeCatalogue().apiVersions.includes(apiVersion)) {
        return invalidRequest(`Invalid api_version: '${apiVersion}' is not a Stripe API version.`, {
          param: 'api_version',
        });
      }
    }
    const endpoint: StripeObject = {
      id: newId('we'),
      object: 'webhook_endpoint',
      api_version: apiVersion,
      application: null,
      created: nowSeconds(),
      description: str(params.description) || null,
      enabled_events: events,
      livemode: false,
      metadata: mergeMetadata({}, params.metadata),
      status: 'enabled',
      url,
    };
    state.webhookEndpoints.set(endpoint.id, endpoint);
    return ok({ ...endpoint, secret: `whsec_${randomBytes(24).toString('hex')}` });
  }),
  route('POST', '/v1/webhook_endpoints/:id', async ({ ids: [id], params, state }) => {
    const endpoint = state.webhookEndpoints.get(id!);
    if (!endpoint) return resourceMissing('webhook endpoint', id!, 'id');
    refuseUnknown(params, UPDATE_PARAMS);
    const changed: StripeObject = { ...endpoint };
    if (params.url !== undefined) changed.url = checkedUrl(params.url);
    if (params.enabled_events !== undefined) changed.enabled_events = checkedEvents(params.enabled_events);
    if (params.disabled !== undefined) {
      const disabled = bool(params.disabled);
      if (disabled === undefined) return invalidRequest('Invalid boolean: disabled', { param: 'disabled' });
      changed.status = disabled ? 'disabled' : 'enabled';
    }
    if (params.description !== undefined) changed.description = str(params.description) || null;
    if (params.metadata !== undefined) changed.metadata = mergeMetadata(endpoint.metadata, params.metadata);
    state.webhookEndpoints.set(changed.id, changed);
    return ok(changed);
  }),
  route('DELETE', '/v1/webhook_endpoints/:id', async ({ ids: [id], state }) => {
    if (!state.webhookEndpoints.delete(id!)) return resourceMissing('webhook endpoint', id!, 'id');
    return ok({ id, object: 'webhook_endpoint', deleted: true });
  }),
];

function refuseUnknown(params: FormParams, known: Set<string>): void {
  const unknown = Object.keys(params).find((name) => !known.has(name));
  if (unknown) throw new Refusal(invalidRequest(`Received unknown parameter: ${unknown}`, { param: unknown }));
}

function checkedUrl(value: FormValue | undefined): string {
  const text = str(value);
  if (text === undefined || text === '') throw new Refusal(missingParam('url'));
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Refusal(invalidRequest(`Invalid URL: ${text}`, { param: 'url' }));
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Refusal(invalidRequest(`Invalid URL: ${text}`, { param: 'url' }));
  }
  if (NOT_PUBLIC.test(url.hostname)) {
    throw new Refusal(
      invalidRequest(
        'Invalid URL: URL must be publicly accessible. Consider using a tool like the Stripe CLI to test webhooks locally.',
        { param: 'url' },
      ),
    );
  }
  return text;
}

function checkedEvents(value: FormValue | undefined): string[] {
  const events = Array.isArray(value) ? value : typeof value === 'string' && value !== '' ? [value] : [];
  if (events.length === 0) throw new Refusal(missingParam('enabled_events'));
  const known = new Set(stripeCatalogue().eventTypes);
  events.forEach((event, index) => {
    if (typeof event !== 'string' || (event !== '*' && !known.has(event))) {
      const got = typeof event === 'string' ? `'${event}'` : 'an object';
      throw new Refusal(
        invalidRequest(`Invalid enabled_events[${index}]: must be '*' or one of Stripe's event types, got ${got}.`, {
          param: `enabled_events[${index}]`,
        }),
      );
    }
  });
  return events as string[];
}
