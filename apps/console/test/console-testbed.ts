import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import request from 'supertest';
import type Stripe from 'stripe';
import { ROOT, startStripeServer, type StripeTestServer } from '@ledgerline/testing';
import { type ApiTestApp, TEST_KEYS } from '../../api/test/api-test-app';
import { startSyncedApp } from '../../api/test/commands/stripe-sync-story';
import { buildConsoleForTests } from './console-build';

export type ConsoleRole = keyof typeof TEST_KEYS;

/** Debian's chromium (`.ci/run` installs it); CHROMIUM_PATH points elsewhere. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * What this machine's closed network needs: without the background-networking switches Chromium
 * keeps dialling Google's hosts; as root it needs --no-sandbox.
 */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export interface ConsoleTestbed {
  /** http://127.0.0.1:<port>, the api serving /console and the API itself. */
  baseUrl: string;
  api: ApiTestApp;
  stripeServer: StripeTestServer;
  stripe: Stripe;
  browser: Browser;
  /** A fresh browser context (its own sessionStorage) signed in with the role's key. */
  signedIn(role: ConsoleRole): Promise<Page>;
  /** A fresh browser context at the sign-in page. */
  newPage(): Promise<Page>;
  http(): ReturnType<typeof request>;
  /** Errors the pages threw (uncaught exceptions); a test that expects none asserts it is empty. */
  pageErrors: string[];
  close(): Promise<void>;
}

/**
 * The real api (with the worker, its Stripe calls going to the local Stripe server) listening on a
 * port, serving the built console, and a headless Chromium to drive it.
 */
export async function startConsoleTestbed(env: Record<string, string> = {}): Promise<ConsoleTestbed> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `No Chromium at ${CHROMIUM}: install Debian's chromium package (.ci/run does) or set CHROMIUM_PATH`,
    );
  }
  const consoleDirectory = buildConsoleForTests();
  const stripeServer = await startStripeServer();
  const api = await startSyncedApp(stripeServer, env, { consoleDirectory });
  await api.app.listen(0, '127.0.0.1');
  const { port } = api.app.getHttpServer().address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  const newPage = async () => {
    const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1280, height: 860 } });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`));
    await page.goto('/console/sign-in');
    return page;
  };

  return {
    baseUrl,
    api,
    stripeServer,
    stripe: stripeServer.stripe(),
    browser,
    newPage,
    pageErrors,
    signedIn: async (role) => {
      const page = await newPage();
      await signIn(page, TEST_KEYS[role]);
      return page;
    },
    http: () => request(api.app.getHttpServer()),
    close: async () => {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close();
      await api.close();
      await stripeServer.close();
    },
  };
}

/** Signs in through the form, as a person would, and waits for the signed-in frame. */
export async function signIn(page: Page, apiKey: string): Promise<void> {
  await page.getByLabel('API key').fill(apiKey);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByTestId('principal').waitFor();
}

/** The Authorization header of a role, for setting up data through the API. */
export function bearer(role: ConsoleRole): string {
  return `Bearer ${TEST_KEYS[role]}`;
}

const SCREENSHOTS = join(ROOT, 'docs', 'screenshots');

/** With UPDATE_SCREENSHOTS=1, saves the page as docs/screenshots/<name>.png (the docs show them). */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.UPDATE_SCREENSHOTS !== '1') return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
