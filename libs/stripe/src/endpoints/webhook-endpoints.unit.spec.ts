import { describe, expect, it } from '@jest/globals';
import type Stripe from 'stripe';
import { LEDGERLINE_EVENT_TYPES } from './ledgerline-event-types';
import {
  desiredEndpoint,
  EndpointRequestError,
  endpointRequestOf,
  endpointView,
  PINNED_API_VERSION,
  planEndpoint,
} from './webhook-endpoints';

const URL = 'https://ledgerline.example.com/webhooks/stripe';
const NEEDED = desiredEndpoint({ url: URL, events: 'needed' });

function endpoint(fields: Partial<Stripe.WebhookEndpoint> = {}): Stripe.WebhookEndpoint {
  return {
    id: 'we_1',
    object: 'webhook_endpoint',
    api_version: PINNED_API_VERSION,
    application: null,
    created: 1_700_000_000,
    description: null,
    enabled_events: [...LEDGERLINE_EVENT_TYPES],
    livemode: false,
    metadata: { managed_by: 'ledgerline' },
    status: 'enabled',
    url: URL,
    ...fields,
  } as Stripe.WebhookEndpoint;
}

describe('endpointRequestOf', () => {
  it('takes https anywhere and http on localhost only, normalised, with the needed events by default', () => {
    expect(endpointRequestOf({ url: ' https://Ledgerline.Example.com/webhooks/stripe ' })).toEqual({
      url: URL,
      events: 'needed',
    });
    expect(endpointRequestOf({ url: 'http://localhost:3000/webhooks/stripe', events: 'all' })).toEqual({
      url: 'http://localhost:3000/webhooks/stripe',
      events: 'all',
    });
    expect(endpointRequestOf({ url: 'http://127.0.0.1:3000/webhooks/stripe' }).url).toBe(
      'http://127.0.0.1:3000/webhooks/stripe',
    );
  });

  it.each([
    [{}, 'url', 'a URL is needed'],
    [{ url: 'ledgerline.example.com/webhooks/stripe' }, 'url', 'is not a URL'],
    [{ url: 'http://ledgerline.example.com/webhooks/stripe' }, 'url', 'must be an https URL'],
    [{ url: 'ftp://localhost/webhooks/stripe' }, 'url', 'must be an https URL'],
    [{ url: 'https://user:pw@ledgerline.example.com/webhooks/stripe' }, 'url', 'user name or password'],
    [{ url: URL, events: 'some' }, 'events', 'must be "needed" or "all"'],
  ])('refuses %j, naming %s', (input, field, message) => {
    let thrown: unknown;
    try {
      endpointRequestOf(input);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(EndpointRequestError);
    expect(thrown).toMatchObject({ field, message: expect.stringContaining(message) });
  });
});

describe('planEndpoint', () => {
  it("creates when no endpoint has the URL, leaving Ledgerline's endpoint for another URL alone", () => {
    expect(planEndpoint([], NEEDED)).toEqual({ action: 'create' });
    expect(planEndpoint([endpoint({ url: 'https://other.example.com/webhooks/stripe' })], NEEDED)).toEqual({
      action: 'create',
    });
  });

  it('changes nothing when the endpoint for the URL already is as desired, whatever the order of its events', () => {
    const same = endpoint({ url: 'https://LEDGERLINE.example.com/webhooks/stripe' });
    same.enabled_events = [...same.enabled_events].reverse();
    expect(planEndpoint([same], NEEDED)).toEqual({ action: 'unchanged', endpoint: same });
    expect(planEndpoint([endpoint({ enabled_events: ['*'] })], desiredEndpoint({ url: URL, events: 'all' }))).toEqual(
      expect.objectContaining({ action: 'unchanged' }),
    );
  });

  it('updates what differs: events, status, the marker; never the API version', () => {
    const edited = endpoint({
      enabled_events: ['charge.succeeded', 'account.updated'],
      status: 'disabled',
      metadata: { team: 'billing' },
    });
    const plan = planEndpoint([edited], NEEDED);
    expect(plan).toEqual({
      action: 'update',
      endpoint: edited,
      params: { enabled_events: [...LEDGERLINE_EVENT_TYPES], disabled: false, metadata: { managed_by: 'ledgerline' } },
      changes: [
        expect.stringMatching(/^enabled events: 85 added \(charge\.captured, .*\), 1 removed \(account\.updated\)$/),
        'status: disabled → enabled',
        'metadata: marked managed_by=ledgerline',
      ],
    });
    expect(planEndpoint([endpoint()], desiredEndpoint({ url: URL, events: 'all' }))).toMatchObject({
      action: 'update',
      params: { enabled_events: ['*'] },
    });
  });

  it('refuses another API version unless asked to recreate, and prefers the endpoint in the pinned one', () => {
    const old = endpoint({ id: 'we_old', api_version: '2024-06-20', created: 1 });
    expect(planEndpoint([old], NEEDED)).toEqual({ action: 'version_differs', endpoint: old });
    expect(planEndpoint([old], NEEDED, { recreate: true })).toEqual({
      action: 'recreate',
      endpoint: old,
      changes: [`API version: 2024-06-20 → ${PINNED_API_VERSION}`],
    });
    const current = endpoint({ id: 'we_new', created: 2 });
    expect(planEndpoint([old, current], NEEDED)).toEqual({ action: 'unchanged', endpoint: current });
  });

  it('shows an endpoint without its secret', () => {
    const view = endpointView({ ...endpoint(), secret: 'whsec_should_not_show' });
    expect(JSON.stringify(view)).not.toContain('whsec_');
    expect(view).toMatchObject({ id: 'we_1', ledgerline: true, apiVersion: PINNED_API_VERSION, status: 'enabled' });
  });
});
