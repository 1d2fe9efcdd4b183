import { existsSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';

/**
 * The console's own rules: scripts, styles and API calls from this origin only (no CDN, no inline
 * script), and never framed by another site.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

/**
 * Serves the support console (apps/console, built by Vite into dist/console) under /console: its
 * hashed assets cached for a year, and index.html, never cached, for every other /console path so
 * the browser's router handles deep links. The page is public; everything it shows comes from the
 * API with the signed-in key. Registered before Nest's routes so /console never reaches them.
 */
export function serveConsole(app: NestExpressApplication, directory = consoleDirectory()): void {
  const index = join(directory, 'index.html');
  const built = existsSync(index);
  app.use('/console', (request: Request, response: Response, next: NextFunction) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return next();
    response.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Referrer-Policy', 'no-referrer');
    if (!built) {
      response
        .status(503)
        .type('text/plain')
        .send('The console is not built: run `npm run build` (it builds apps/console into dist/console).');
      return;
    }
    next();
  });
  if (!built) return;
  app.useStaticAssets(join(directory, 'assets'), {
    prefix: '/console/assets/',
    immutable: true,
    maxAge: '365d',
    fallthrough: false,
  });
  app.use('/console', (request: Request, response: Response, next: NextFunction) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return next();
    // A path with an extension that is not an asset is a missing file, not a page of the app.
    if (extname(request.path) !== '') {
      response.status(404).type('text/plain').send('Not found');
      return;
    }
    response.setHeader('Cache-Control', 'no-cache');
    response.sendFile(index);
  });
}

/** dist/console of this checkout, found from this file in src/ (tests) or in dist/ (npm start). */
export function consoleDirectory(): string {
  let directory = __dirname;
  while (!existsSync(join(directory, 'package.json'))) {
    const parent = dirname(directory);
    if (parent === directory) return join(__dirname, 'console');
    directory = parent;
  }
  return join(directory, 'dist', 'console');
}
