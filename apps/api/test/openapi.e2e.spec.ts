import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { App } from 'supertest/types';
import { postWebhook } from '@ledgerline/testing';
import { SPEC_FILE } from '../openapi/generate';
import { type ApiTestApp, projectionsCaughtUp, startApiTestApp, TEST_KEYS } from './api-test-app';
import { type OpenApiDocument, SpecConformance } from './openapi-conformance';
import { supportStory } from './support-story';

const SECRET = 'whsec_openapi_test_0123456789';
const committed = JSON.parse(readFileSync(SPEC_FILE, 'utf8')) as OpenApiDocument;
const ROLES = Object.keys(TEST_KEYS) as (keyof typeof TEST_KEYS)[];

describe('the OpenAPI description', () => {
  let harness: ApiTestApp;
  let server: App;
  const spec = new SpecConformance(committed);

  beforeAll(async () => {
    harness = await startApiTestApp({ STRIPE_WEBHOOK_SECRETS: SECRET }, true);
    server = harness.app.getHttpServer() as App;
  }, 60_000);
  afterAll(() => harness.close());

  it('is served at /openapi.json, equal to the committed apps/api/openapi.json, and browsable at /docs', async () => {
    const served = await request(server).get('/openapi.json').expect(200);
    expect(served.body).toEqual(committed);
    expect(committed.paths['/customers/{id}']?.get?.['x-roles']).toEqual(['support', 'admin']);
    const page = await request(server).get('/docs/').expect(200);
    expect(page.type).toBe('text/html');
    expect(page.text).toContain('swagger-ui');
  });

  it("names each route's roles as the guard enforces them: every other role gets 403, public routes need no key", async () => {
    let checked = 0;
    for (const operation of spec.operations.values()) {
      const path = operation.path.replace(/\{[^}]+\}/g, 'x');
      const roles = operation['x-roles'] ?? [];
      if (roles.length === 0) {
        // Public: no 401 without a key (the webhook refuses the missing signature with 400 instead).
        if (operation.method !== 'get' && operation.method !== 'post') continue;
        const answer = await request(server)[operation.method](path);
        expect({ route: operation.operationId, status: answer.status }).not.toEqual({
          route: operation.operationId,
          status: 401,
        });
        checked++;
        continue;
      }
      for (const role of ROLES.filter((role) => !roles.includes(role))) {
        const method = operation.method as 'get' | 'post' | 'put' | 'patch' | 'delete';
        const answer = await request(server)[method](path).set('Authorization', `Bearer ${TEST_KEYS[role]}`);
        expect({ route: operation.operationId, role, status: answer.status }).toEqual({
          route: operation.operationId,
          role,
          status: 403,
        });
        checked++;
      }
      const answer = await request(server)[operation.method as 'get'](path);
      expect({ route: operation.operationId, status: answer.status }).toEqual({
        route: operation.operationId,
        status: 401,
      });
    }
    expect(checked).toBeGreaterThan(150);
  }, 120_000);

  it('describes every answer exactly: support, command and admin answers match their schemas field for field', async () => {
    for (const event of supportStory()) await postWebhook(server, event, SECRET).expect(200);
    const as = (role: keyof typeof TEST_KEYS) => ({ Authorization: `Bearer ${TEST_KEYS[role]}` });
    const registered = await request(server)
      .post('/customers')
      .set(as('support'))
      .send({ firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' })
      .expect(201);
    expect(spec.problems('CustomerCommandsController_register', 201, registered.body)).toEqual([]);
    await projectionsCaughtUp(harness);

    const customer = (await request(server).get('/customers/cus_story').set(as('support')).expect(200)).body as {
      id: string;
    };
    const asOf = new Date().toISOString();
    const reads: [operationId: string, path: string, role: keyof typeof TEST_KEYS][] = [
      ['CustomersController_search', '/customers?limit=5', 'support'],
      ['CustomersController_find', `/customers/${customer.id}`, 'support'],
      ['CustomersController_find', `/customers/cus_story?asOf=${asOf}`, 'support'],
      ['CustomersController_find', `/customers/${(registered.body as { id: string }).id}`, 'support'],
      ...[
        'subscriptions',
        'invoices',
        'payments',
        'payment-methods',
        'addresses',
        'activity',
        'notifications',
        'access',
      ].map(
        (tab) =>
          [
            `CustomerTabsController_${tab === 'payment-methods' ? 'paymentMethods' : tab}`,
            `/customers/cus_story/${tab}`,
            'support',
          ] as [string, string, keyof typeof TEST_KEYS],
      ),
      ['CustomerAuditController_audit', '/customers/cus_story/audit', 'finance'],
      ['SubscriptionsController_search', '/subscriptions', 'support'],
      ['SubscriptionsController_find', '/subscriptions/sub_story', 'support'],
      ['SubscriptionsController_find', `/subscriptions/sub_story?asOf=${asOf}`, 'support'],
      ['SubscriptionsController_invoices', '/subscriptions/sub_story/invoices', 'support'],
      ['SubscriptionAuditController_audit', '/subscriptions/sub_story/audit', 'support'],
      ['InvoicesController_find', '/invoices/in_story', 'support'],
      ['PaymentsController_find', '/payments/ch_story', 'support'],
      ['StripeObjectsController_find', '/stripe-objects/cus_story', 'support'],
      ['StripeEventsController_find', '/stripe-events/evt_story_01', 'support'],
      ['CatalogController_prices', '/prices', 'support'],
      ['CatalogController_coupons', '/coupons', 'support'],
      ['ProductsController_list', '/products', 'support'],
      ['MeController_whoAmI', '/me', 'finance'],
      ['HealthController_health', '/health', 'support'],
      ['HealthController_live', '/health/live', 'support'],
      ['HealthController_ready', '/health/ready', 'support'],
      ['ProjectionsAdminController_list', '/admin/projections', 'admin'],
      ['ProjectionsAdminController_listRebuilds', '/admin/rebuilds', 'admin'],
      ['ProjectionsAdminController_parked', '/admin/parked', 'admin'],
      ['WorkersAdminController_list', '/admin/workers', 'admin'],
      ['EventStoreAdminController_describe', '/admin/event-store', 'admin'],
      ['StripeSyncAdminController_status', '/admin/stripe-sync', 'admin'],
      ['BackfillController_list', '/admin/backfill', 'admin'],
      ['ReconciliationRunsController_list', '/reconciliation/runs', 'finance'],
      ['ConsumerGroupsController_list', '/feed/groups', 'consumer'],
    ];
    const failures: Record<string, string[]> = {};
    for (const [operationId, path, role] of reads) {
      const answer = await request(server).get(path).set(as(role));
      expect({ path, status: answer.status }).toEqual({ path, status: 200 });
      const problems = spec.problems(operationId, answer.status, answer.body);
      if (problems.length > 0) failures[path] = problems;
    }
    expect(failures).toEqual({});
  }, 120_000);
});
