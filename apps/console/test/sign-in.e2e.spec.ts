import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TEST_KEYS } from '../../api/test/api-test-app';
import { type ConsoleTestbed, screenshot, signIn, startConsoleTestbed } from './console-testbed';

describe('console: serving and sign-in', () => {
  let bed: ConsoleTestbed;
  beforeAll(async () => {
    bed = await startConsoleTestbed();
  }, 180_000);
  afterAll(async () => bed?.close());

  it('serves the built page under /console, deep links included, with a same-origin-only policy', async () => {
    const page = await bed.http().get('/console/customers/some-id').expect(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.text).toContain('<div id="root"></div>');
    const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(page.text)?.[1];
    expect(script).toBeDefined();
    const asset = await bed.http().get(script!).expect(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    // Nothing is loaded from another origin: every src and href of the page is a path of ours.
    expect(page.text.match(/(?:src|href)="(?!\/console\/)[^"]*"/g)).toBeNull();
    await bed.http().get('/console/assets/missing.js').expect(404);
    await bed.http().get('/console/favicon.png').expect(404);
  });

  it('refuses a wrong key with the API’s message and keeps the key out of the URL', async () => {
    const page = await bed.newPage();
    await page.getByLabel('API key').fill('not-a-key-of-ours');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Invalid API key');
    await screenshot(page, 'sign-in');
    await signIn(page, TEST_KEYS.support);
    expect(page.url()).not.toContain(TEST_KEYS.support);
    expect(page.url()).toMatch(/\/console\/customers$/);
    // Kept in the tab's session: a reload stays signed in; another tab (context) is not.
    await page.reload();
    await page.getByTestId('principal').waitFor();
    // Evaluated in the page (a string: the tests are compiled without the DOM's types).
    const stored = await page.evaluate('({ session: sessionStorage.length, local: localStorage.length })');
    expect(stored).toEqual({ session: 1, local: 0 });
    const other = await bed.newPage();
    await other.goto('/console/customers');
    await other.getByLabel('API key').waitFor();
    expect(other.url()).toMatch(/\/console\/sign-in$/);
  });

  it('offers each role only what it may do', async () => {
    const navOf = async (role: 'support' | 'finance' | 'admin') => {
      const page = await bed.signedIn(role);
      const links = await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents();
      return { page, links };
    };
    expect((await navOf('support')).links).toEqual(['Customers', 'Subscriptions']);
    const finance = await navOf('finance');
    expect(finance.links).toEqual(['Reconciliation']);
    expect(finance.page.url()).toMatch(/\/console\/reconciliation$/);
    // A page outside the role, reached by its address, says so instead of failing on API calls.
    await finance.page.goto('/console/operations');
    await expect(finance.page.getByRole('heading', { name: 'Not available to your role' }).isVisible()).resolves.toBe(
      true,
    );
    expect((await navOf('admin')).links).toEqual(['Customers', 'Subscriptions', 'Reconciliation', 'Operations']);

    const consumer = await bed.newPage();
    await signIn(consumer, TEST_KEYS.consumer);
    await consumer.getByRole('heading', { name: 'Nothing here for your role' }).waitFor();
    expect(await consumer.getByRole('navigation', { name: 'Main' }).getByRole('link').count()).toBe(0);
  });

  it('signs out: the key leaves the session', async () => {
    const page = await bed.signedIn('support');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').waitFor();
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    expect(bed.pageErrors).toEqual([]);
  });
});
