import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page, Request } from 'playwright-core';
import { platformCustomerId } from '@ledgerline/read-models';
import { eventually } from '@ledgerline/testing';
import { T0 } from '../../api/test/support-story';
import { bearer, type ConsoleTestbed, screenshot, startConsoleTestbed } from './console-testbed';
import { registerCustomer, resultNames, rowClassesOf, rowsOf, seedStripeCustomer, until } from './customers-seed';

describe('console: customers', () => {
  let bed: ConsoleTestbed;
  let ada: string;
  let adele: string;
  let alan: string;
  const grace = platformCustomerId('cus_story', null);

  beforeAll(async () => {
    bed = await startConsoleTestbed();
    ada = await registerCustomer(bed, {
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada@analytical.example',
      phone: '+44 20 7946 0958',
      address: { line1: '12 St James Square', city: 'London', postalCode: 'SW1Y 4JH', country: 'GB' },
    });
    adele = await registerCustomer(bed, {
      firstName: 'Adele',
      lastName: 'Lovejoy',
      email: 'adele@harmonies.example',
      phone: '+1 415 555 0199',
      address: { line1: '1 Market Street', city: 'San Francisco', country: 'US' },
    });
    alan = await registerCustomer(bed, {
      firstName: 'Alan',
      lastName: 'Turing',
      email: 'alan@bletchley.example',
      phone: '+44 1908 640404',
      address: { line1: 'Bletchley Park', city: 'Milton Keynes', country: 'GB' },
    });
    await seedStripeCustomer(bed);
  }, 180_000);
  afterAll(async () => bed?.close());

  const api = (path: string) => bed.http().get(path).set('Authorization', bearer('support'));
  const searchBox = (page: Page) => page.getByLabel('Search customers');
  const typeSearch = async (page: Page, text: string) => {
    await searchBox(page).fill('');
    await searchBox(page).pressSequentially(text);
  };

  it('searches as you type by partial name, email, phone and company, keeping the query in the URL', async () => {
    const page = await bed.signedIn('support');
    const asked: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (request.method() === 'GET' && url.pathname === '/customers') asked.push(url.searchParams.get('q') ?? '');
    });
    // Without a query: everyone but the deleted, by name.
    await until(() => resultNames(page), ['Ada Lovelace', 'Adele Lovejoy', 'Alan Turing', 'Grace Hopper']);

    await typeSearch(page, 'Love');
    await until(() => resultNames(page), ['Ada Lovelace', 'Adele Lovejoy']);
    // Typing pauses are what is searched, not every keystroke.
    expect(asked).not.toContain('L');
    expect(asked).not.toContain('Lov');
    expect(page.url()).toMatch(/\/console\/customers\?q=Love$/);
    const [first] = await rowsOf(page, 'Customers');
    expect(first).toMatch(/^Ada Lovelace \| ada@analytical\.example \| \+44 20 7946 0958 \| London, GB \| — \| cus_/);
    expect(await page.getByRole('link', { name: 'Ada Lovelace' }).getAttribute('href')).toBe(
      `/console/customers/${ada}`,
    );
    await screenshot(page, 'customers-search');

    await searchBox(page).pressSequentially('l');
    await until(() => resultNames(page), ['Ada Lovelace']);
    await typeSearch(page, 'bletchley.exa');
    await until(() => resultNames(page), ['Alan Turing']);
    await typeSearch(page, '7946 0958');
    await until(() => resultNames(page), ['Ada Lovelace']);
    await typeSearch(page, 'navy');
    await until(() => resultNames(page), ['Grace Hopper']);
    await typeSearch(page, 'zz-nobody');
    await page.getByText('No customer matches “zz-nobody”.').waitFor();

    // Reload and back keep the query and its results.
    await typeSearch(page, 'turing');
    await until(() => resultNames(page), ['Alan Turing']);
    await page.reload();
    expect(await searchBox(page).inputValue()).toBe('turing');
    await until(() => resultNames(page), ['Alan Turing']);
    // A click anywhere on the row opens the record.
    await page.getByRole('table', { name: 'Customers' }).getByRole('cell', { name: '+44 1908 640404' }).click();
    await page.getByRole('heading', { name: 'Alan Turing' }).waitFor();
    expect(page.url()).toContain(`/console/customers/${alan}`);
    await page.goBack();
    await until(() => resultNames(page), ['Alan Turing']);
    expect(await searchBox(page).inputValue()).toBe('turing');
    expect(bed.pageErrors).toEqual([]);
  });

  it('opens the record with its facts, and each tab shows its rows; the tab is in the URL', async () => {
    const page = await bed.signedIn('support');
    await typeSearch(page, 'Hopper');
    await page.getByRole('link', { name: 'Grace Hopper' }).click();
    await page.getByRole('heading', { name: 'Grace Hopper' }).waitFor();
    expect(page.url()).toContain(`/console/customers/${grace}`);
    const facts = (await page.getByRole('region', { name: 'Customer' }).textContent()) ?? '';
    for (const fact of ['grace@navy.example', '+1 (555) 010-2030', '1 Navy Way, 22202, Arlington, VA, US']) {
      expect(facts).toContain(fact);
    }
    for (const fact of ['7 Harbor Road', 'US Navy, Fleet Computing', '€5.00 credit', 'cus_story', grace]) {
      expect(facts).toContain(fact);
    }
    expect(await page.getByRole('link', { name: 'History' }).getAttribute('href')).toBe(
      `/console/customers/${grace}/history`,
    );

    const tab = async (name: string) => {
      await page.getByRole('tab', { name, exact: true }).click();
      await page.getByRole('tabpanel', { name }).locator('table, ol, .empty, [role=alert]').first().waitFor();
    };
    // Subscriptions is the first tab; its rows open the subscription page.
    await until(() => rowsOf(page, 'Subscriptions').then((rows) => rows.length), 1);
    const [subscription] = await rowsOf(page, 'Subscriptions');
    // The product's name, as the subscription pages show it.
    expect(subscription).toMatch(/^sub_story \| canceled \| Pro plan · Pro monthly: €20\.00 \/ month \|/);
    expect(await page.getByRole('link', { name: 'sub_story' }).getAttribute('href')).toBe(
      '/console/subscriptions/sub_story',
    );

    await tab('Payments');
    expect(page.url()).toMatch(/\?tab=payments$/);
    const [payment] = await rowsOf(page, 'Payments');
    expect(payment).toContain('ch_story');
    expect(payment).toContain('€20.00 | succeeded | visa •••• 4242 | €5.00 | €15.00 lost | in_story');
    await page.getByRole('button', { name: 'Refund ch_story' }).waitFor();

    await tab('Payment methods');
    // Per method (by its id column): what it shows, and whether its row is marked.
    const cells = (await rowsOf(page, 'Payment methods')).map((row) => row.split(' | '));
    const marks = await rowClassesOf(page, 'Payment methods');
    const methods = Object.fromEntries(
      cells.map((row, i) => [row[3], { card: row[0], state: row[2], mark: marks[i] }]),
    );
    expect(cells[0]![3]).toBe('pm_story'); // the default first
    expect(methods).toEqual({
      pm_story: { card: 'visa •••• 4242', state: 'Default Expiring', mark: 'warn' },
      card_story: { card: 'visa •••• 4242', state: 'Expiring', mark: 'warn' },
      pm_lasting: { card: 'mastercard •••• 5454', state: '', mark: '' },
    });
    await page.getByText('2 payment methods are expiring or expired.').waitFor();
    await screenshot(page, 'customer-record');

    await tab('Invoices');
    const invoices = await rowsOf(page, 'Invoices');
    expect(invoices.map((row) => row.split(' | ')[0]).sort()).toEqual([
      'STORY-0001in_story Copy Stripe ↗',
      'STORY-0002in_book Copy Stripe ↗',
      'STORY-0003in_fail Copy Stripe ↗',
    ]);
    // Each id: Copy, and the object in Stripe's dashboard (test mode unless the object is live).
    expect(await page.getByRole('link', { name: 'in_story in the Stripe dashboard' }).getAttribute('href')).toBe(
      'https://dashboard.stripe.com/test/invoices/in_story',
    );
    await page.getByRole('button', { name: 'Copy in_story' }).waitFor();
    const failing = invoices.find((row) => row.startsWith('STORY-0003'));
    expect(failing).toContain('open | €20.00 | €0.00 | €20.00');
    expect(failing).toContain('1 failed attempt, next');

    await tab('Activity');
    const activity = (await page.getByRole('list', { name: 'Activity' }).textContent()) ?? '';
    for (const summary of ['Refund of €5.00 issued: requested by customer', 'Dispute closed: lost', 'Trial started']) {
      expect(activity).toContain(summary);
    }

    await tab('Notifications');
    expect((await rowsOf(page, 'Notifications')).some((row) => row.includes('card expiring | pending'))).toBe(true);
    await tab('Access');
    expect((await rowsOf(page, 'Access')).map((row) => row.split(' | ').slice(0, 2))).toEqual([
      ['prod_book', 'active'],
      ['prod_story', 'ended'],
    ]);
    await tab('Addresses');
    expect((await rowsOf(page, 'Addresses')).map((row) => row.split(' | ')[0])).toEqual(['billing', 'shipping']);

    // The tab survives a reload (it is in the URL).
    await page.goto(`/console/customers/${grace}?tab=invoices`);
    await until(() => rowsOf(page, 'Invoices').then((rows) => rows.length), 3);
    expect(await page.getByRole('tab', { name: 'Invoices' }).getAttribute('aria-selected')).toBe('true');
    expect(bed.pageErrors).toEqual([]);
  });

  it('sorts by a column header (click or keyboard), counts, and filters; reload keeps it all', async () => {
    const page = await bed.signedIn('support');
    const header = (name: string) => page.getByRole('columnheader', { name, exact: true });
    const sortedColumns = async () =>
      (await page
        .locator('th[aria-sort]')
        .evaluateAll((cells) =>
          cells.map((cell) => `${cell.textContent?.replace(/[▲▼↕]/g, '').trim()} ${cell.getAttribute('aria-sort')}`),
        )) as string[];
    const everyone = ['Ada Lovelace', 'Adele Lovejoy', 'Alan Turing', 'Grace Hopper'];
    await until(() => resultNames(page), everyone);
    await page.getByText('4 customers', { exact: true }).waitFor();
    expect(await sortedColumns()).toEqual(['Name ascending']);

    await header('Name').getByRole('button').click();
    await until(() => resultNames(page), [...everyone].reverse());
    expect(await sortedColumns()).toEqual(['Name descending']);
    expect(page.url()).toMatch(/\/console\/customers\?order=desc$/);

    // A header is a button: Tab reaches it, Enter sorts (ascending first for email), Space turns it around.
    await header('Email').getByRole('button').focus();
    await page.keyboard.press('Enter');
    await until(() => resultNames(page), everyone);
    expect(await sortedColumns()).toEqual(['Email ascending']);
    await page.keyboard.press('Space');
    await until(() => resultNames(page), [...everyone].reverse());
    expect(await sortedColumns()).toEqual(['Email descending']);

    await page.getByLabel('With a subscription').selectOption('canceled');
    await until(() => resultNames(page), ['Grace Hopper']);
    await page.getByText('1 customer', { exact: true }).waitFor();
    await page.getByLabel('Delinquent').selectOption('true');
    await page.getByText('No customer matches these filters.').waitFor();
    await page.getByLabel('Delinquent').selectOption('false');
    await until(() => resultNames(page), ['Grace Hopper']);
    expect(new URL(page.url()).search).toBe('?sort=email&order=desc&subscriptionStatus=canceled&delinquent=false');
    await page.reload();
    await until(() => resultNames(page), ['Grace Hopper']);
    expect(await page.getByLabel('With a subscription').inputValue()).toBe('canceled');
    expect(await page.getByLabel('Delinquent').inputValue()).toBe('false');
    expect(await sortedColumns()).toEqual(['Email descending']);

    // Past the API's cap the count says so.
    await page.route(
      (url) => url.pathname === '/customers',
      async (route) => {
        const response = await route.fetch();
        await route.fulfill({ response, json: { ...(await response.json()), total: 10_000, totalCapped: true } });
      },
    );
    await typeSearch(page, 'grace');
    await page.getByText('10,000+ customers', { exact: true }).waitFor();
    expect(bed.pageErrors).toEqual([]);
  });

  it('filters the activity feed by the kind of object and by days, kept in the URL', async () => {
    const page = await bed.signedIn('support');
    await page.goto(`/console/customers/${grace}?tab=activity`);
    const feed = page.getByRole('list', { name: 'Activity' });
    // What each entry is, without its details: `Dispute opened` of `Dispute opened (fraudulent, €15.00)`.
    const summaries = async () =>
      (await feed.locator('li strong').allTextContents()).map((summary) => summary.split(/[:(]/)[0]!.trim());
    await page.getByText('17 entries', { exact: true }).waitFor();

    await page.getByLabel('About').selectOption('dispute');
    await until(summaries, ['Dispute closed', 'Dispute opened']);
    await page.getByText('2 entries matching these filters').waitFor();
    // The story happened on one day (this machine's, as the feed shows times).
    const day = (seconds: number) => new Date(seconds * 1000).toLocaleDateString('sv');
    await page.getByLabel('From', { exact: true }).fill(day(T0));
    await page.getByLabel('To', { exact: true }).fill(day(T0 + 3_600));
    await page.reload();
    await until(summaries, ['Dispute closed', 'Dispute opened']);
    expect(page.url()).toContain(`?tab=activity&objectType=dispute&from=${day(T0)}&to=${day(T0 + 3_600)}`);
    await page.getByLabel('To', { exact: true }).fill(day(T0 + 2 * 86_400));
    await page.getByLabel('From', { exact: true }).fill(day(T0 + 86_400));
    await page.getByText('No activity matches these filters.').waitFor();
    expect(bed.pageErrors).toEqual([]);
  });

  it('creates a customer: the API’s validation messages beside the fields, nothing created, then the record', async () => {
    const page = await bed.signedIn('support');
    const posts: Request[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === '/customers') posts.push(request);
    });
    await page.getByRole('link', { name: 'New customer' }).click();
    await page.getByRole('heading', { name: 'New customer' }).waitFor();
    await page.getByLabel('First name').fill('Katherine');
    await page.getByLabel('Email').fill('not-an-email');
    await page.getByLabel('Address line 1').fill('1 rue de la Paix');
    await page.getByLabel('Country').fill('France');
    await page.getByRole('button', { name: 'Create customer' }).click();

    const summary = page.getByRole('alert');
    await summary.waitFor();
    expect(await summary.textContent()).toContain('Please correct the following');
    const errorOf = async (label: string) => {
      const input = page.getByLabel(label);
      const described = (await input.getAttribute('aria-describedby')) ?? '';
      const error = described.split(' ').find((id) => id.endsWith('-error'));
      return {
        invalid: await input.getAttribute('aria-invalid'),
        message: error ? await page.locator(`[id="${error}"]`).textContent() : null,
      };
    };
    // In the form's words: labels, not the request's field names.
    expect(await errorOf('Last name')).toEqual({ invalid: 'true', message: 'Last name is required' });
    expect(await errorOf('Email')).toEqual({ invalid: 'true', message: 'Email must be an email address' });
    expect((await errorOf('Country')).message).toContain('Country must be a two-letter ISO 3166-1 country code');
    expect(await summary.textContent()).not.toMatch(/lastName|address\.country|or null/);
    expect(await errorOf('First name')).toEqual({ invalid: null, message: null });
    expect(await errorOf('Address line 1')).toEqual({ invalid: null, message: null });
    expect(await page.evaluate('document.activeElement.name')).toBe('lastName');
    await screenshot(page, 'customer-new-errors');

    // Nothing was created.
    expect(posts.length).toBe(1);
    expect((await posts[0]!.response())!.status()).toBe(400);
    expect((await api('/customers?q=Katherine')).body.data).toEqual([]);

    // A corrected field loses its message; the rest keep theirs until the next answer.
    await page.getByLabel('Last name').fill('Johnson');
    expect(await errorOf('Last name')).toEqual({ invalid: null, message: null });
    expect((await errorOf('Email')).invalid).toBe('true');
    await page.getByLabel('Email').fill('katherine@langley.example');
    await page.getByLabel('Country').fill('fr');
    // A double click sends one key: one customer.
    await page.getByRole('button', { name: 'Create customer' }).dblclick();
    await page.getByRole('heading', { name: 'Katherine Johnson' }).waitFor();
    await page.getByText('Customer created.').waitFor();
    const facts = (await page.getByRole('region', { name: 'Customer' }).textContent()) ?? '';
    expect(facts).toContain('katherine@langley.example');
    expect(facts).toContain('1 rue de la Paix, FR');

    const sent = posts.slice(1);
    const keys = new Set(sent.map((request) => request.headers()['idempotency-key']));
    expect(keys.size).toBe(1);
    expect(sent[0]!.postDataJSON()).toEqual({
      firstName: 'Katherine',
      lastName: 'Johnson',
      email: 'katherine@langley.example',
      address: { line1: '1 rue de la Paix', country: 'fr' },
    });
    const id = /\/console\/customers\/([0-9a-f-]{36})$/.exec(page.url())?.[1];
    expect(id).toBeDefined();
    const found = (await api('/customers?q=Katherine')).body.data as { id: string }[];
    expect(found.map((customer) => customer.id)).toEqual([id]);
    expect(bed.pageErrors).toEqual([]);
  });

  it('edits a customer: sends only what changed, clears an emptied field, shows the API’s refusal', async () => {
    const page = await bed.signedIn('support');
    const patches: Request[] = [];
    page.on('request', (request) => {
      if (request.method() === 'PATCH') patches.push(request);
    });
    await page.goto(`/console/customers/${alan}`);
    await page.getByRole('link', { name: 'Edit' }).click();
    await page.getByRole('heading', { name: 'Edit Alan Turing' }).waitFor();
    expect(await page.getByLabel('Email').inputValue()).toBe('alan@bletchley.example');
    expect(await page.getByLabel('City').inputValue()).toBe('Milton Keynes');
    const save = page.getByRole('button', { name: 'Save changes' });
    expect(await save.isDisabled()).toBe(true);

    await page.getByLabel('First name').fill('');
    await page.getByLabel('Phone').fill('+44 1908 000111');
    await page.getByLabel('Email').fill('');
    await save.click();
    await page.getByText('First name is required').first().waitFor();
    expect(await page.getByLabel('First name').getAttribute('aria-invalid')).toBe('true');

    await page.getByLabel('First name').fill('Alan');
    await save.click();
    await page.getByText('Changes saved.').waitFor();
    expect(patches.map((request) => request.postDataJSON())).toEqual([
      { firstName: '', email: null, phone: '+44 1908 000111' },
      { email: null, phone: '+44 1908 000111' },
    ]);
    const facts = (await page.getByRole('region', { name: 'Customer' }).textContent()) ?? '';
    expect(facts).toContain('+44 1908 000111');
    expect(facts).not.toContain('alan@bletchley.example');
    const stored = (await api(`/customers/${alan}`)).body as { email: string | null; phone: string };
    expect(stored).toMatchObject({ email: null, phone: '+44 1908 000111', firstName: 'Alan' });
    expect(bed.pageErrors).toEqual([]);
  });

  it('deletes a customer only once confirmed; it then leaves the search', async () => {
    const page = await bed.signedIn('support');
    await page.goto(`/console/customers/${adele}`);
    await page.getByRole('heading', { name: 'Adele Lovejoy' }).waitFor();
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete' });
    expect(await dialog.textContent()).toContain('Delete Adele Lovejoy?');
    await dialog.getByRole('button', { name: 'Keep it' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect((await api(`/customers/${adele}`)).body.deleted).toBe(false);

    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await dialog.getByRole('button', { name: 'Delete customer' }).click();
    await page.getByText('Adele Lovejoy was deleted.').waitFor();
    expect(page.url()).toMatch(/\/console\/customers$/);
    await typeSearch(page, 'Lovejoy');
    await page.getByText('No customer matches “Lovejoy”.').waitFor();
    await typeSearch(page, 'Love');
    await until(() => resultNames(page), ['Ada Lovelace']);
    expect((await api(`/customers/${adele}`)).body.deleted).toBe(true);

    // Its record stays readable, marked, with nothing left to change.
    await page.goto(`/console/customers/${adele}`);
    await page.getByText('This customer was deleted').waitFor();
    expect(await page.getByRole('link', { name: 'Edit' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Delete', exact: true }).count()).toBe(0);
    expect(bed.pageErrors).toEqual([]);
  });

  it('pages a long result with “Load more”', async () => {
    const names = Array.from({ length: 55 }, (_, i) => `Reader${String(i + 1).padStart(2, '0')}`);
    for (let i = 0; i < names.length; i += 10) {
      await Promise.all(
        names.slice(i, i + 10).map(async (firstName) => {
          const created = await bed
            .http()
            .post('/customers')
            .set('Authorization', bearer('support'))
            .send({ firstName, lastName: 'Pagination' });
          expect(created.status).toBe(201);
        }),
      );
    }
    await eventually(
      async () => (await api('/customers?q=Pagination&limit=200')).body.data.length === names.length,
      20_000,
      'the 55 customers in the search',
    );
    const page = await bed.signedIn('support');
    await typeSearch(page, 'Pagination');
    const listed = names.map((name) => `${name} Pagination`);
    await until(() => resultNames(page), listed.slice(0, 50));
    await page.getByRole('button', { name: 'Load more' }).click();
    await until(
      () => resultNames(page),
      names.map((name) => `${name} Pagination`),
    );
    expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);
    expect(bed.pageErrors).toEqual([]);
  });

  it('keeps an edit through a server outage and a lapsed key: Retry, sign in again, the draft back', async () => {
    const page = await bed.signedIn('support');
    // The API cannot be reached: the page says so in words, and Retry loads it once it is back.
    const down = (route: { abort(): Promise<void> }) => route.abort();
    await page.route(`**/customers/${ada}`, down);
    await page.goto(`/console/customers/${ada}/edit`);
    const alert = page.getByRole('alert');
    await alert.filter({ hasText: 'The Ledgerline API cannot be reached' }).waitFor();
    expect(await alert.textContent()).not.toContain('Failed to fetch');
    await page.unroute(`**/customers/${ada}`, down);
    await page.getByRole('button', { name: 'Retry' }).click();
    await page.getByRole('heading', { name: /^Edit / }).waitFor();

    // The key stops working while an edit is unsaved: signing in again returns here, the draft kept.
    await page.getByLabel('Phone').fill('+1 555 0199');
    await page.route(`**/customers/${ada}`, (route) =>
      route.request().method() === 'PATCH'
        ? route.fulfill({ status: 401, json: { statusCode: 401, message: 'The API key is not valid' } })
        : route.continue(),
    );
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('button', { name: 'Sign in again' }).click();
    await page.unroute(`**/customers/${ada}`);
    await page.getByLabel('API key').fill(bearer('support').slice('Bearer '.length));
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL(new RegExp(`/console/customers/${ada}/edit$`));
    await page.getByText('Your unsaved changes were kept').waitFor();
    expect(await page.getByLabel('Phone').inputValue()).toBe('+1 555 0199');
    await page.getByRole('link', { name: 'Cancel' }).click();
    expect(await page.evaluate('Object.keys(sessionStorage).filter((key) => key.includes("draft"))')).toEqual([]);
  });

  it('says so when a customer is unknown', async () => {
    const page = await bed.signedIn('support');
    await page.goto('/console/customers/00000000-0000-4000-8000-000000000000');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('No customer "00000000-0000-4000-8000-000000000000" is known');
    expect(bed.pageErrors).toEqual([]);
  });
});
