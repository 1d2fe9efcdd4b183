import Stripe from 'stripe';
import { LEDGERLINE_EVENT_TYPES } from './ledgerline-event-types';

/**
 * Ledgerline's webhook endpoint on a Stripe account, created or brought up to date through the API:
 * `ledgerline stripe-endpoint` and `PUT /admin/stripe-endpoint` both call ensureWebhookEndpoint.
 */

/** Where the api receives Stripe's webhooks (apps/api: STRIPE_WEBHOOK_PATH). */
export const WEBHOOK_PATH = '/webhooks/stripe';

/** The metadata that marks an endpoint as Ledgerline's: `--list` shows it, and it is added to an endpoint adopted by URL. */
export const LEDGERLINE_ENDPOINT_METADATA = { managed_by: 'ledgerline' } as const;

/**
 * The API version Stripe generates the endpoint's events in: the one the SDK is pinned to.
 * createStripeClient sets none, so the backfill and outbound calls read and write objects of this
 * version too, and webhooks carry the same shapes.
 */
export const PINNED_API_VERSION: string = Stripe.API_VERSION;

const DESCRIPTION = 'Ledgerline (managed by `ledgerline stripe-endpoint`)';

export type EndpointEvents = 'needed' | 'all';

export interface EndpointRequest {
  /** The public URL, normalised (`new URL(...).href`). */
  url: string;
  /** `needed`: LEDGERLINE_EVENT_TYPES; `all`: `*`. */
  events: EndpointEvents;
}

/** A bad URL or event choice: the CLI exits 64 with it, the API answers 400. */
export class EndpointRequestError extends Error {
  constructor(
    readonly field: 'url' | 'events',
    message: string,
  ) {
    super(message);
  }
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Checks what an operator asked for. The URL must be https, or http for localhost/127.0.0.1 (a
 * Stripe-compatible server on the same machine); Stripe itself also refuses URLs that are not
 * publicly reachable, and says so.
 */
export function endpointRequestOf(input: { url?: string | null; events?: string | null }): EndpointRequest {
  if (input.url === undefined || input.url === null || input.url.trim() === '') {
    throw new EndpointRequestError('url', `a URL is needed: the public https URL of Ledgerline's ${WEBHOOK_PATH}`);
  }
  let url: URL;
  try {
    url = new URL(input.url.trim());
  } catch {
    throw new EndpointRequestError(
      'url',
      `"${input.url}" is not a URL (e.g. https://ledgerline.example.com${WEBHOOK_PATH})`,
    );
  }
  const local = LOCAL_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) {
    throw new EndpointRequestError(
      'url',
      `must be an https URL (http only for localhost or 127.0.0.1), got "${input.url}"`,
    );
  }
  if (url.username || url.password) {
    throw new EndpointRequestError('url', 'must not carry a user name or password');
  }
  const events = input.events ?? 'needed';
  if (events !== 'needed' && events !== 'all') {
    throw new EndpointRequestError('events', `must be "needed" or "all", got "${events}"`);
  }
  return { url: url.href, events };
}

/** What Ledgerline wants the endpoint to be. */
export interface DesiredEndpoint {
  url: string;
  enabledEvents: string[];
  apiVersion: string;
}

export function desiredEndpoint(request: EndpointRequest): DesiredEndpoint {
  return {
    url: request.url,
    enabledEvents: request.events === 'all' ? ['*'] : [...LEDGERLINE_EVENT_TYPES],
    apiVersion: PINNED_API_VERSION,
  };
}

/** An endpoint as the CLI and the API show it: never its secret. */
export interface EndpointView {
  id: string;
  url: string;
  status: string;
  enabledEvents: string[];
  apiVersion: string | null;
  /** Marked with LEDGERLINE_ENDPOINT_METADATA. */
  ledgerline: boolean;
  description: string | null;
  created: string;
}

export function endpointView(endpoint: Stripe.WebhookEndpoint): EndpointView {
  return {
    id: endpoint.id,
    url: endpoint.url,
    status: endpoint.status,
    enabledEvents: [...endpoint.enabled_events],
    apiVersion: endpoint.api_version ?? null,
    ledgerline: isLedgerlines(endpoint),
    description: endpoint.description ?? null,
    created: new Date(endpoint.created * 1000).toISOString(),
  };
}

export type EndpointOutcomeKind = 'created' | 'updated' | 'unchanged' | 'recreated';

export interface EndpointOutcome {
  outcome: EndpointOutcomeKind;
  endpoint: EndpointView;
  /** The signing secret (`whsec_...`): only when the endpoint was created (or recreated) now, as Stripe returns it only then. */
  secret: string | null;
  /** What was changed (`updated`), or why it was recreated. */
  changes: string[];
  /** `recreated`: the endpoint it replaced (deleted, unless a warning says otherwise). */
  replaced: string | null;
  /** Worth telling the operator, the outcome stands (other endpoints on the same URL, an unusual path, ...). */
  warnings: string[];
}

/**
 * The endpoint for this URL uses another API version than Ledgerline's; Stripe cannot change an
 * existing endpoint's version. Nothing was changed.
 */
export class EndpointVersionMismatchError extends Error {
  constructor(readonly endpoint: EndpointView) {
    super(
      `webhook endpoint ${endpoint.id} for ${endpoint.url} sends events in API version ${endpoint.apiVersion ?? "the account's default"}, ` +
        `Ledgerline is pinned to ${PINNED_API_VERSION}, and Stripe cannot change the version of an existing endpoint. ` +
        `Nothing was changed. To replace it by a new endpoint (with a new signing secret to add to STRIPE_WEBHOOK_SECRETS), ` +
        `run again with --recreate (API: "recreate": true), or delete it in the Stripe Dashboard and run again.`,
    );
  }
}

/** Every webhook endpoint of the account, oldest first (Stripe allows 16; paged anyway). */
export async function listWebhookEndpoints(stripe: Stripe): Promise<Stripe.WebhookEndpoint[]> {
  const all: Stripe.WebhookEndpoint[] = [];
  for await (const endpoint of stripe.webhookEndpoints.list({ limit: 100 })) all.push(endpoint);
  return all.sort((a, b) => a.created - b.created || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export type EndpointPlan =
  | { action: 'create' }
  | { action: 'unchanged'; endpoint: Stripe.WebhookEndpoint }
  | {
      action: 'update';
      endpoint: Stripe.WebhookEndpoint;
      params: Stripe.WebhookEndpointUpdateParams;
      changes: string[];
    }
  | { action: 'recreate'; endpoint: Stripe.WebhookEndpoint; changes: string[] }
  | { action: 'version_differs'; endpoint: Stripe.WebhookEndpoint };

/**
 * What to do, given the account's endpoints: the endpoint is the one for the same URL (the one in
 * Ledgerline's API version first, then one marked as Ledgerline's, then the oldest). An endpoint of
 * Ledgerline's for another URL is left alone: it may be another deployment's.
 */
export function planEndpoint(
  endpoints: readonly Stripe.WebhookEndpoint[],
  desired: DesiredEndpoint,
  { recreate = false }: { recreate?: boolean } = {},
): EndpointPlan {
  const endpoint = sameUrl(endpoints, desired.url)[0];
  if (!endpoint) return { action: 'create' };
  if (endpoint.api_version !== desired.apiVersion) {
    if (!recreate) return { action: 'version_differs', endpoint };
    return {
      action: 'recreate',
      endpoint,
      changes: [`API version: ${endpoint.api_version ?? "the account's default"} → ${desired.apiVersion}`],
    };
  }
  const params: Stripe.WebhookEndpointUpdateParams = {};
  const changes: string[] = [];
  const current = new Set(endpoint.enabled_events);
  const wanted = new Set(desired.enabledEvents);
  const added = [...wanted].filter((type) => !current.has(type));
  const removed = [...current].filter((type) => !wanted.has(type));
  if (added.length || removed.length) {
    params.enabled_events = desired.enabledEvents as Stripe.WebhookEndpointUpdateParams.EnabledEvent[];
    changes.push(`enabled events: ${describeEventChange(added, removed)}`);
  }
  if (endpoint.status !== 'enabled') {
    params.disabled = false;
    changes.push(`status: ${endpoint.status} → enabled`);
  }
  if (!isLedgerlines(endpoint)) {
    params.metadata = { ...LEDGERLINE_ENDPOINT_METADATA };
    changes.push(`metadata: marked managed_by=${LEDGERLINE_ENDPOINT_METADATA.managed_by}`);
  }
  return changes.length ? { action: 'update', endpoint, params, changes } : { action: 'unchanged', endpoint };
}

/**
 * Creates the account's webhook endpoint for `request.url`, or brings it up to date: the same call
 * again changes nothing (`unchanged`, no write to Stripe). Throws EndpointVersionMismatchError when
 * the endpoint's API version differs and `recreate` is not set, and Stripe's errors as the SDK
 * raises them.
 */
export async function ensureWebhookEndpoint(
  stripe: Stripe,
  request: EndpointRequest,
  { recreate = false }: { recreate?: boolean } = {},
): Promise<EndpointOutcome> {
  const desired = desiredEndpoint(request);
  const endpoints = await listWebhookEndpoints(stripe);
  const plan = planEndpoint(endpoints, desired, { recreate });
  const warnings = warningsFor(endpoints, desired, plan);
  switch (plan.action) {
    case 'version_differs':
      throw new EndpointVersionMismatchError(endpointView(plan.endpoint));
    case 'unchanged':
      return outcome('unchanged', plan.endpoint, { warnings });
    case 'update': {
      const updated = await stripe.webhookEndpoints.update(plan.endpoint.id, plan.params);
      return outcome('updated', updated, { changes: plan.changes, warnings });
    }
    case 'create': {
      const created = await createEndpoint(stripe, desired);
      return outcome('created', created, { secret: created.secret ?? null, warnings });
    }
    case 'recreate': {
      // The new one first, so that no event goes undelivered in between; a failed delete leaves both.
      const created = await createEndpoint(stripe, desired);
      try {
        await stripe.webhookEndpoints.del(plan.endpoint.id);
      } catch (error) {
        warnings.push(
          `the old endpoint ${plan.endpoint.id} could not be deleted (${(error as Error).message}): delete it in the Stripe Dashboard`,
        );
      }
      return outcome('recreated', created, {
        secret: created.secret ?? null,
        changes: plan.changes,
        replaced: plan.endpoint.id,
        warnings,
      });
    }
  }
}

function createEndpoint(stripe: Stripe, desired: DesiredEndpoint): Promise<Stripe.WebhookEndpoint> {
  return stripe.webhookEndpoints.create({
    url: desired.url,
    enabled_events: desired.enabledEvents as Stripe.WebhookEndpointCreateParams.EnabledEvent[],
    api_version: desired.apiVersion as Stripe.WebhookEndpointCreateParams.ApiVersion,
    description: DESCRIPTION,
    metadata: { ...LEDGERLINE_ENDPOINT_METADATA },
  });
}

function outcome(
  kind: EndpointOutcomeKind,
  endpoint: Stripe.WebhookEndpoint,
  extra: Partial<Pick<EndpointOutcome, 'secret' | 'changes' | 'replaced' | 'warnings'>>,
): EndpointOutcome {
  return {
    outcome: kind,
    endpoint: endpointView(endpoint),
    secret: extra.secret ?? null,
    changes: extra.changes ?? [],
    replaced: extra.replaced ?? null,
    warnings: extra.warnings ?? [],
  };
}

function isLedgerlines(endpoint: Stripe.WebhookEndpoint): boolean {
  return endpoint.metadata?.managed_by === LEDGERLINE_ENDPOINT_METADATA.managed_by;
}

function sameUrl(endpoints: readonly Stripe.WebhookEndpoint[], url: string): Stripe.WebhookEndpoint[] {
  const rank = (endpoint: Stripe.WebhookEndpoint): number =>
    (endpoint.api_version === PINNED_API_VERSION ? 0 : 2) + (isLedgerlines(endpoint) ? 0 : 1);
  return endpoints
    .filter((endpoint) => normalised(endpoint.url) === url)
    .sort((a, b) => rank(a) - rank(b) || a.created - b.created);
}

function normalised(url: string): string {
  try {
    return new URL(url).href;
  } catch {
    return url;
  }
}

function warningsFor(
  endpoints: readonly Stripe.WebhookEndpoint[],
  desired: DesiredEndpoint,
  plan: EndpointPlan,
): string[] {
  const warnings: string[] = [];
  if (!new URL(desired.url).pathname.endsWith(WEBHOOK_PATH)) {
    warnings.push(
      `the URL's path is not ${WEBHOOK_PATH}: Ledgerline receives webhooks there, so a proxy must forward this path to it`,
    );
  }
  if (plan.action === 'create') {
    const elsewhere = endpoints.filter(
      (endpoint) => isLedgerlines(endpoint) && normalised(endpoint.url) !== desired.url,
    );
    if (elsewhere.length) {
      warnings.push(
        `Ledgerline's endpoint(s) for other URLs stay as they are (${elsewhere.map((e) => `${e.id} ${e.url}`).join(', ')}): ` +
          `delete them in the Stripe Dashboard if no Ledgerline listens there any more`,
      );
    }
    return warnings;
  }
  const others = sameUrl(endpoints, desired.url).filter((endpoint) => endpoint.id !== plan.endpoint.id);
  if (others.length) {
    warnings.push(
      `${others.length} other endpoint(s) also send to this URL (${others.map((e) => e.id).join(', ')}): ` +
        `Ledgerline stores each event once, but they double the deliveries; delete them in the Stripe Dashboard`,
    );
  }
  return warnings;
}

function describeEventChange(added: string[], removed: string[]): string {
  const names = (types: string[]) =>
    types.length <= 5 ? types.join(', ') : `${types.slice(0, 5).join(', ')}, ... (${types.length - 5} more)`;
  return [
    added.length ? `${added.length} added (${names(added)})` : null,
    removed.length ? `${removed.length} removed (${names(removed)})` : null,
  ]
    .filter(Boolean)
    .join(', ');
}
