import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { type ApiTestApp, startApiTestApp } from './api-test-app';

/** How the api serves the console's files (the page itself is tested in Chromium, apps/console/test). */
describe('serving the console at /console', () => {
  const started: ApiTestApp[] = [];
  const directories: string[] = [];
  afterAll(async () => {
    for (const api of started) await api.close();
    for (const directory of directories) rmSync(directory, { recursive: true, force: true });
  });

  const serve = async (build?: (directory: string) => void) => {
    const directory = mkdtempSync(join(tmpdir(), 'console-serving-'));
    directories.push(directory);
    build?.(directory);
    const api = await startApiTestApp({}, false, { consoleDirectory: directory });
    started.push(api);
    return request(api.app.getHttpServer());
  };

  it('answers 503 saying how to build it when the console is not built, and the API still works', async () => {
    const http = await serve();
    const page = await http.get('/console/customers').expect(503);
    expect(page.text).toContain('npm run build');
    await http.get('/health').expect(200);
  });

  it('serves index.html for every page path, assets for a year, and nothing but GET and HEAD', async () => {
    const http = await serve((directory) => {
      writeFileSync(join(directory, 'index.html'), '<!doctype html><div id="root"></div>');
      mkdirSync(join(directory, 'assets'));
      writeFileSync(join(directory, 'assets', 'index-abc123.js'), 'console.log(1)');
    });
    for (const path of ['/console', '/console/', '/console/customers/cus_1?tab=payments']) {
      const page = await http.get(path).redirects(1).expect(200);
      expect(page.text).toContain('<div id="root">');
      expect(page.headers['cache-control']).toBe('no-cache');
      expect(page.headers['content-security-policy']).toContain("connect-src 'self'");
      expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    }
    const asset = await http.get('/console/assets/index-abc123.js').expect(200);
    expect(asset.headers['cache-control']).toContain('max-age=31536000');
    expect(asset.headers['cache-control']).toContain('immutable');
    await http.get('/console/assets/missing.js').expect(404);
    await http.get('/console/robots.txt').expect(404);
    // Not a page: other methods reach Nest, which has no such route.
    await http.post('/console/customers').send({}).expect(404);
    // The page needs no key; the API behind it still does.
    await http.get('/customers').expect(401);
  });
});
