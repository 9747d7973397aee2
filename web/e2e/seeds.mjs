// The seed library (#18 point 4): an owner whose sector follows the library's
// Food & Beverage → Baking opens the library from the empty Keywords page,
// adds seed keywords and finds them on the Keywords page; a viewer browses the
// library with no way to add. `IGNY8_E2E_ONLY=seeds` runs only this part.
import assert from 'node:assert/strict';

const PASSWORD = 'a long e2e password';

export async function seeds({ base, launch, shots, log }) {
  let passed = 0;
  let page;
  const pageErrors = [];
  const check = async (name, fn) => {
    const t = Date.now();
    try {
      await fn();
    } catch (e) {
      log(`not ok seeds ${passed + 1} - ${name}`);
      await page?.screenshot({ path: `${shots}/failure-seeds.png`, fullPage: true }).catch(() => {});
      log('failure screenshot: e2e/screenshots/failure-seeds.png; page errors:', pageErrors.join(' | ') || 'none');
      console.log(`e2e seeds: ${passed} passed, 1 failed`);
      throw e;
    }
    passed++;
    log(`ok seeds ${passed} - ${name} (${Date.now() - t} ms)`);
  };
  /** A GraphQL call with the page's signed-in user's token. */
  const api = async (p, query, variables = {}) => {
    const r = await p.evaluate(
      async ([query, variables]) => {
        const token = JSON.parse(localStorage.getItem('igny8.session')).accessToken;
        const r = await fetch('/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query, variables }),
        });
        return r.json();
      },
      [query, variables],
    );
    assert.ok(!r.errors, JSON.stringify(r.errors));
    return r.data;
  };
  const rows = (p) => p.getByRole('table', { name: 'Seed keywords' }).locator('tbody tr');

  const ctx = await launch();
  page = ctx.pages()[0] ?? (await ctx.newPage());
  page.setDefaultTimeout(30_000);
  page.on('pageerror', (e) => pageErrors.push(String(e)));

  const email = `sid-${Date.now()}@example.com`;
  let siteId = '';
  let baking = null;
  await check('an owner with a sector that follows Food & Beverage → Baking', async () => {
    await page.goto(`${base}/signup`);
    await page.getByLabel('Company or team name').fill('Sid Bakes');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.waitForURL(`${base}/sites`);
    // the Sites page sets what the library opens on
    await page.getByLabel('Site name').fill('Sid Blog');
    await page.getByLabel('Industry (optional)').selectOption({ label: 'Food & Beverage' });
    await page.getByRole('button', { name: 'Create site' }).click();
    await page.getByRole('heading', { name: 'Sid Blog' }).waitFor();
    await page.getByLabel('New sector in Sid Blog').fill('Baking');
    await page.getByLabel('Seed library sector (optional)').selectOption({ label: 'Baking' });
    await page.getByRole('button', { name: 'Add sector' }).click();
    await page.getByRole('cell', { name: 'Baking', exact: true }).waitFor();
    const { industries, sites } = await api(page, '{ industries { id slug sectors { id slug } } sites { nodes { id industry { id } sectors { nodes { industrySector { id } } } } } }');
    const food = industries.find((i) => i.slug === 'food-beverage');
    baking = { industryId: food.id, ...food.sectors.find((s) => s.slug === 'baking') };
    const site = sites.nodes[0];
    siteId = site.id;
    assert.equal(site.industry?.id, food.id);
    assert.equal(site.sectors.nodes[0].industrySector?.id, baking.id);
  });

  await check('the empty Keywords page leads to the library, opened on Baking', async () => {
    await page.goto(`${base}/planner/keywords`);
    await page.getByText('No keywords yet').waitFor();
    await page.getByRole('link', { name: 'add from the seed library' }).click();
    await page.waitForURL(`${base}/planner/seeds`);
    await page.getByRole('heading', { name: 'Seed library', level: 1 }).waitFor();
    assert.equal(await page.title(), 'Seed library · igny8');
    await rows(page).first().waitFor();
    assert.equal(await page.getByLabel('Industry', { exact: true }).inputValue(), baking.industryId);
    assert.equal(await page.getByLabel('Industry sector').inputValue(), baking.id);
    const sectors = await rows(page).locator('td:nth-child(6)').allTextContents();
    assert.ok(sectors.length > 1 && sectors.every((s) => s === 'Baking'), sectors.join(','));
    // nothing is in the sector yet
    await page.waitForFunction(() => document.querySelectorAll('table[aria-label="Seed keywords"] tbody tr[data-in-sector="no"]').length > 1);
    assert.equal(await page.locator('tr[data-in-sector="yes"]').count(), 0);
    await page.screenshot({ path: `${shots}/30-seed-library.png`, fullPage: true });
  });

  let total = 0;
  await check('search, pick two, add them: the library marks them added', async () => {
    total = await rows(page).count();
    await page.getByLabel('Search').fill('tips');
    await page.waitForFunction(() => document.querySelectorAll('table[aria-label="Seed keywords"] tbody tr').length === 1);
    await page.getByLabel('Select baking tips').check();
    await page.getByLabel('Search').fill('');
    await page.waitForFunction((n) => document.querySelectorAll('table[aria-label="Seed keywords"] tbody tr').length === n, total);
    await page.getByLabel('Select what is baking').check();
    await page.getByText('2 selected').waitFor();
    await page.getByRole('button', { name: 'Add to Baking' }).click();
    await page.getByText('Added 2 keywords to Baking.').waitFor();
    await page.waitForFunction(() => document.querySelectorAll('tr[data-in-sector="yes"]').length === 2);
    assert.equal(await page.getByLabel('Select baking tips').isDisabled(), true);
    assert.equal(await page.getByText('Select keywords to add').count(), 1);
  });

  await check('the Keywords page lists them with the library volume and difficulty', async () => {
    const seeds = await api(page, 'query($s: ID) { seedKeywords(filter: {industrySectorId: $s, search: "baking tips"}) { nodes { volume difficulty } } }', { s: baking.id });
    await page.getByRole('link', { name: 'See them on the Keywords page' }).click();
    const table = page.getByRole('table', { name: 'Keywords' });
    await page.waitForFunction(() => document.querySelectorAll('table[aria-label="Keywords"] tbody tr').length === 2);
    const row = table.locator('tbody tr', { hasText: 'baking tips' });
    const [volume, difficulty] = await Promise.all([row.locator('td:nth-child(3)').textContent(), row.locator('td:nth-child(4)').textContent()]);
    assert.equal(volume, seeds.seedKeywords.nodes[0].volume.toLocaleString('en-US'));
    assert.equal(difficulty, String(seeds.seedKeywords.nodes[0].difficulty));
    assert.ok(await table.getByRole('cell', { name: 'what is baking', exact: true }).isVisible());
  });

  await check('select all adds the rest of the page; the sector then holds all of it', async () => {
    await page.getByRole('link', { name: 'Seed library' }).click();
    await page.waitForFunction(() => document.querySelectorAll('tr[data-in-sector="yes"]').length === 2);
    await page.getByLabel('Select all on this page').check();
    await page.getByText(`${total - 2} selected`).waitFor();
    await page.getByRole('button', { name: 'Add to Baking' }).click();
    await page.getByText(`Added ${total - 2} keywords to Baking.`).waitFor();
    await page.waitForFunction((n) => document.querySelectorAll('tr[data-in-sector="yes"]').length === n, total);
    assert.equal(await page.getByLabel('Select all on this page').isDisabled(), true);
    await page.getByRole('link', { name: 'Keywords', exact: true }).click();
    await page.getByText(`1–${total} of ${total}`).waitFor();
  });

  await check('a viewer browses the library with no add button', async () => {
    const viewer = `vera-${Date.now()}@example.com`;
    await api(page, 'mutation($e: String!, $p: String!, $s: ID!) { createUser(input: {email: $e, password: $p, role: VIEWER, siteIds: [$s]}) { id } }', {
      e: viewer, p: PASSWORD, s: siteId,
    });
    const other = await launch();
    const pv = other.pages()[0] ?? (await other.newPage());
    pv.setDefaultTimeout(30_000);
    pv.on('pageerror', (e) => pageErrors.push(String(e)));
    await pv.goto(`${base}/signin`);
    await pv.getByLabel('Email').fill(viewer);
    await pv.getByLabel('Password').fill(PASSWORD);
    await pv.getByRole('button', { name: 'Sign in' }).click();
    await pv.waitForURL((u) => !u.pathname.startsWith('/signin'));
    await pv.getByRole('link', { name: 'Seed library' }).click();
    await rows(pv).first().waitFor();
    await pv.waitForFunction((n) => document.querySelectorAll('tr[data-in-sector="yes"]').length === n, total);
    const buttons = (await pv.getByRole('button').allTextContents()).map((b) => b.trim());
    assert.deepEqual(buttons.filter((b) => /^Add|selection/.test(b)), [], `a viewer sees ${buttons.join(', ')}`);
    assert.equal(await pv.getByRole('table', { name: 'Seed keywords' }).getByRole('checkbox').count(), 0);
    assert.equal(await pv.locator('.bulkbar').count(), 0);
    await pv.getByText('Viewers browse the library').waitFor();
    await pv.screenshot({ path: `${shots}/31-seed-library-viewer.png`, fullPage: true });
    await other.close();
  });

  await check('no uncaught page errors', async () => {
    assert.deepEqual(pageErrors, []);
  });
  console.log(`e2e seeds: ${passed} passed, 0 failed`);
}
