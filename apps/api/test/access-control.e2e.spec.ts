import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { RequestMethod } from '@nestjs/common';
import { MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import type { IncomingMessage } from 'node:http';
import request from 'supertest';
import { PUBLIC_KEY, ROLES_KEY } from '@ledgerline/auth';
import { ROLES, type Role } from '@ledgerline/config';
import { type ApiTestApp, startApiTestApp, TEST_KEYS } from './api-test-app';

/** Routes that answer without an API key. Adding one here is a security decision: review it. */
const PUBLIC_ROUTES = ['GET /health', 'GET /health/live', 'GET /health/ready', 'GET /metrics'];
/**
 * Served by Express outside Nest's controllers, public too: the API's description and Swagger UI's
 * files (serve-openapi.ts). Reviewed like PUBLIC_ROUTES: they describe routes, they hold no data.
 */
const DESCRIPTION_ROUTES = [
  'GET /docs',
  'GET /docs/',
  'GET /docs/LICENSE',
  'GET /docs/docs/swagger-ui-init.js',
  'GET /docs/index.html',
  'GET /docs/swagger-ui-init.js',
  'GET /openapi.json',
];

interface RouteInfo {
  route: string;
  method: string;
  path: string;
  isPublic: boolean;
  roles: Role[];
}

describe('access control on every registered route', () => {
  let harness: ApiTestApp;
  let routes: RouteInfo[];

  beforeAll(async () => {
    harness = await startApiTestApp();
    routes = discoverRoutes(harness);
  });
  afterAll(async () => harness.close());

  it('finds the routes Express actually serves, and no route escapes discovery', () => {
    const served = expressRoutes(harness).sort();
    expect(served.length).toBeGreaterThan(0);
    expect([...routes.map((r) => r.route), ...DESCRIPTION_ROUTES].sort()).toEqual(served);
  });

  it('opens exactly the reviewed public routes', () => {
    expect(
      routes
        .filter((r) => r.isPublic)
        .map((r) => r.route)
        .sort(),
    ).toEqual([...PUBLIC_ROUTES].sort());
  });

  it('answers 401 without a key, with a malformed header and with an unknown key', async () => {
    for (const route of routes.filter((r) => !r.isPublic)) {
      const call = (auth?: string) => send(harness, route, auth);
      const none = await call();
      expect([route.route, none.status]).toEqual([route.route, 401]);
      expect(none.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
      expect((await call('Basic abc')).status).toBe(401);
      expect((await call('Bearer not-a-configured-key-at-all')).status).toBe(401);
      // A prefix of a real key must not pass either.
      expect((await call(`Bearer ${TEST_KEYS.admin.slice(0, -1)}`)).status).toBe(401);
    }
  });

  it('answers 403 to roles the route does not allow and lets allowed roles and admin through', async () => {
    for (const route of routes.filter((r) => !r.isPublic)) {
      for (const role of ROLES) {
        const response = await send(harness, route, `Bearer ${TEST_KEYS[role]}`);
        const allowed = role === 'admin' || route.roles.includes(role);
        if (allowed) expect([route.route, role, response.status]).not.toEqual(expect.arrayContaining([401]));
        if (allowed) expect(response.status).not.toBe(403);
        else expect([route.route, role, response.status]).toEqual([route.route, role, 403]);
      }
    }
  });

  it('serves only the Stripe webhook outside Nest, authenticated by its signature instead of a key', async () => {
    const server = harness.app.getHttpServer();
    const unsigned = await request(server).post('/webhooks/stripe').send('{}');
    expect(unsigned.status).toBe(400);
    expect(unsigned.body.message).not.toMatch(/API key/);
    expect((await request(server).get('/webhooks/stripe')).status).toBe(405);
    expect(routes.some((r) => r.path.startsWith('/webhooks'))).toBe(false);
  });

  it('names the key of the caller on /me', async () => {
    const response = await request(harness.app.getHttpServer())
      .get('/me')
      .set('Authorization', `Bearer ${TEST_KEYS.support}`)
      .expect(200);
    expect(response.body).toEqual({ role: 'support', name: 'support-tester' });
  });
});

function discoverRoutes(harness: ApiTestApp): RouteInfo[] {
  const modules = harness.app.get(ModulesContainer);
  const scanner = new MetadataScanner();
  const reflector = harness.app.get(Reflector);
  const found: RouteInfo[] = [];
  const controllers = [...modules.values()].flatMap((module) => [...module.controllers.values()]);
  for (const wrapper of controllers) {
    const instance = wrapper.instance as object;
    const controller = wrapper.metatype as object;
    const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
    for (const name of scanner.getAllMethodNames(Object.getPrototypeOf(instance))) {
      const handler = (instance as Record<string, unknown>)[name] as object;
      const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
      if (path === undefined) continue;
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number]!;
      const full = `/${[base, path]
        .map((p) => p.replace(/^\/|\/$/g, ''))
        .filter(Boolean)
        .join('/')}`;
      const targets = [handler, controller] as unknown as [() => void, () => void];
      found.push({
        route: `${method} ${full}`,
        method,
        path: full,
        isPublic: reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets) === true,
        roles: reflector.getAllAndOverride<Role[]>(ROLES_KEY, targets) ?? [],
      });
    }
  }
  return found;
}

function expressRoutes(harness: ApiTestApp): string[] {
  const express = harness.app.getHttpAdapter().getInstance() as {
    router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] };
  };
  return express.router.stack
    .filter((layer) => layer.route)
    .flatMap((layer) =>
      Object.keys(layer.route!.methods)
        .filter((m) => m !== '_all')
        .map((m) => `${m.toUpperCase()} ${layer.route!.path}`),
    );
}

function send(harness: ApiTestApp, route: RouteInfo, authorization?: string) {
  const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
  const agent = request(harness.app.getHttpServer());
  const req = agent[method](concrete(route.path)).parse(
    headersOfStreams as unknown as Parameters<request.Test['parse']>[0],
  );
  return authorization ? req.set('Authorization', authorization) : req;
}

/**
 * Server-sent-event routes (the feeds) never end by themselves: once the headers say a stream began,
 * the guard has let the caller through, which is all this test needs. Other bodies are read as JSON.
 */
function headersOfStreams(response: IncomingMessage, done: (error: Error | null, body: unknown) => void): void {
  if (String(response.headers['content-type']).startsWith('text/event-stream')) {
    done(null, {});
    response.destroy();
    return;
  }
  let text = '';
  response.setEncoding('utf8');
  response.on('data', (chunk: string) => (text += chunk));
  response.on('end', () => {
    try {
      done(null, text ? JSON.parse(text) : {});
    } catch {
      done(null, text);
    }
  });
}

/** Fills route parameters so the request reaches the guard. */
function concrete(path: string): string {
  return path.replace(/:(\w+)/g, 'x');
}
