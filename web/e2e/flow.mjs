// The browser flow. Each `check` is one user-visible claim; the run stops at the
// first failure because later steps build on earlier ones.
import assert from 'node:assert/strict';

const PASSWORD = 'a long e2e password';

// 16 good rows (two topics), a duplicate and a bad difficulty.
const CSV = [
  'keyword,volume,difficulty,intent',
  'best apple pie recipe,2400,35,informational',
  'easy apple pie recipe,1900,30,informational',
  'apple pie recipe from scratch,880,40,informational',
  'dutch apple pie recipe,720,33,informational',
  'apple pie filling recipe,1300,28,informational',
  'apple pie crust recipe,1000,38,informational',
  'classic apple pie recipe,590,31,informational',
  'homemade apple pie recipe,1600,36,informational',
  'sourdough bread starter,5400,45,informational',
  'how to make sourdough starter,3600,42,informational',
  'sourdough starter feeding schedule,900,39,informational',
  'sourdough bread recipe for beginners,2900,44,informational',
  'easy sourdough bread recipe,2100,41,informational',
  'sourdough starter discard recipes,1700,37,informational',
  'buy sourdough starter online,400,25,transactional',
  'best sourdough bread flour,800,29,commercial',
  'Best Apple Pie Recipe,2400,35,informational',
  'apple pie with caramel,500,150,informational',
].join('\n');

export async function flow({ base, launch, shots, log }) {
  let passed = 0;
  let page;
  const consoleErrors = [];
  const check = async (name, fn) => {
    const t = Date.now();
    try {
      await fn();
    } catch (e) {
      log(`not ok ${passed + 1} - ${name}`);
      await page.screenshot({ path: `${shots}/failure.png`, fullPage: true }).catch(() => {});
      log('failure screenshot: e2e/screenshots/failure.png; page errors:', consoleErrors.join(' | ') || 'none');
      console.log(`e2e: ${passed} passed, 1 failed`);
      throw e;
    }
    passed++;
    log(`ok ${passed} - ${name} (${Date.now() - t} ms)`);
  };
  const shot = (page, name) => page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
  /** A GraphQL call with the page's signed-in user's token. */
  const api = (p, query, variables = {}) =>
    p.evaluate(
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
  /** Job ids of the tray's cards of `fnName` (to tell a new job from the ones before). */
  const trayIds = (fnName) => page.$$eval(`.tray article[aria-label="${fnName} job"]`, (as) => as.map((a) => a.dataset.jobId));
  /** Waits for a job of `fnName` not in `before` to finish in the tray and returns its card. */
  const finishedJob = async (fnName, before) => {
    const sel = `.tray article[aria-label="${fnName} job"]`;
    const handle = await page.waitForFunction(
      ([s, old]) =>
        [...document.querySelectorAll(s)].find((a) => !old.includes(a.dataset.jobId) && !['RUNNING', 'QUEUED'].includes(a.dataset.status))?.dataset.jobId,
      [sel, before],
      { timeout: 90_000 },
    );
    return page.locator(`.tray article[data-job-id="${await handle.jsonValue()}"]`);
  };

  const ctx = await launch();
  page = ctx.pages()[0] ?? (await ctx.newPage());
  page.setDefaultTimeout(30_000);
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  // The content security policy must block nothing the pages use; only the
  // injected handler of the sanitising check may be reported blocked
  // (Chromium reports it from the sanitiser's inert parse).
  let injectedHandler = false;
  const cspViolations = (p) =>
    p.on('console', (m) => {
      const text = m.text();
      if (m.type() !== 'error' || !text.includes('Content Security Policy')) return;
      if (injectedHandler && text.startsWith('Executing inline event handler')) return;
      consoleErrors.push(`${p.url()}: ${text}`);
    });
  cspViolations(page);

  /** Waits until the tray shows a finished job of `fn` that was not there before. */
  const waitJob = async (fnName, before) => {
    const sel = `.tray article[aria-label="${fnName} job"]`;
    await page.waitForFunction(
      ([s, n]) => {
        const done = [...document.querySelectorAll(s)].filter((a) => ['SUCCEEDED', 'PARTIAL', 'FAILED', 'CANCELLED'].includes(a.dataset.status));
        return done.length > n;
      },
      [sel, before],
      { timeout: 90_000 },
    );
    const status = await page.$$eval(sel, (as) => as.map((a) => a.dataset.status));
    const errText = await page.$$eval(`${sel} .job-error`, (es) => es.map((e) => e.textContent));
    assert.equal(status[0], 'SUCCEEDED', `${fnName} ended ${status[0]}: ${errText.join(' ')}`);
  };
  const finishedCount = (fnName) =>
    page.$$eval(`.tray article[aria-label="${fnName} job"]`, (as) => as.filter((a) => a.dataset.status !== 'RUNNING' && a.dataset.status !== 'QUEUED').length);
  /** Records every aria-valuenow the progress bars of `fnName` take. */
  const recordProgress = (fnName) =>
    page.evaluate((label) => {
      window.__progress = [];
      window.__progressObserver?.disconnect();
      const seen = () => {
        for (const bar of document.querySelectorAll(`[role="progressbar"][aria-label="${label}"]`)) {
          const art = bar.closest('article');
          if (art && (art.dataset.status === 'RUNNING' || art.dataset.status === 'QUEUED' || art.dataset.status === 'SUCCEEDED')) {
            const v = Number(bar.getAttribute('aria-valuenow'));
            const items = art.querySelector('.job-items')?.textContent ?? '';
            const phase = art.querySelector('.job-phase')?.textContent ?? '';
            const last = window.__progress.at(-1);
            if (!last || last.v !== v || last.items !== items || last.phase !== phase) window.__progress.push({ v, items, phase, status: art.dataset.status });
          }
        }
      };
      window.__progressObserver = new MutationObserver(seen);
      window.__progressObserver.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    }, `${fnName} progress`);

  const email = `ann-${Date.now()}@example.com`;
  await check('sign up lands on sites, tokens stay out of the URL', async () => {
    await page.goto(`${base}/signup`);
    await shot(page, '01-signup');
    await page.getByLabel('Company or team name').fill('Acme Bakery');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.waitForURL(`${base}/sites`);
    assert.ok(!page.url().includes('token'), page.url());
    await page.getByTestId('credits-balance').waitFor();
  });
  const stored = () => page.evaluate(() => JSON.parse(localStorage.getItem('igny8.session')));
  const firstSession = await stored();

  await check('create a site and a sector', async () => {
    await page.getByLabel('Site name').fill('Acme Blog');
    await page.getByLabel('Domain (optional)').fill('blog.acme.test');
    await page.getByRole('button', { name: 'Create site' }).click();
    await page.getByRole('heading', { name: 'Acme Blog' }).waitFor();
    await page.getByLabel('New sector in Acme Blog').fill('Baking');
    await page.getByRole('button', { name: 'Add sector' }).click();
    await page.getByRole('cell', { name: 'Baking', exact: true }).waitFor();
    assert.notEqual(await page.getByLabel('Sector', { exact: true }).inputValue(), '');
    await shot(page, '02-sites');
  });

  await check('import a CSV: created, skipped and refused rows with line numbers', async () => {
    await page.getByRole('link', { name: 'Keywords' }).click();
    await page.getByRole('button', { name: 'Import CSV' }).click();
    await page.getByLabel('…or paste CSV').fill(CSV);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const status = page.locator('.import-result');
    await status.waitFor();
    assert.match(await status.textContent(), /16 created, 1 skipped as duplicates, 1 row refused/);
    const refused = await page.getByRole('table', { name: 'Refused rows' }).locator('tbody tr').allTextContents();
    assert.equal(refused.length, 1);
    assert.match(refused[0], /^19/); // the header is line 1
    await page.getByRole('table', { name: 'Keywords' }).locator('tbody tr').nth(15).waitFor();
    assert.equal(await page.getByRole('table', { name: 'Keywords' }).locator('tbody tr').count(), 16);
  });

  await check('filters, sort and page size work on the keyword table', async () => {
    await page.getByRole('button', { name: 'Import CSV' }).click(); // close the panel
    await page.getByLabel('Search').fill('sourdough');
    await page.waitForFunction(() => document.querySelectorAll('table[aria-label="Keywords"] tbody tr').length === 8);
    await page.getByRole('button', { name: /^Volume/ }).click(); // ascending
    await page.getByRole('button', { name: /^Volume/ }).click(); // descending
    await page.waitForFunction(() => document.querySelector('table[aria-label="Keywords"] tbody tr td:nth-child(2)')?.textContent === 'sourdough bread starter');
    await page.getByLabel('Search').fill('');
    await page.getByLabel('Rows per page').selectOption('10');
    await page.getByText('1–10 of 16').waitFor();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('11–16 of 16').waitFor();
    await page.getByLabel('Rows per page').selectOption('25');
    await page.getByText('1–16 of 16').waitFor();
  });

  await check('bulk status and CSV export of the current filter', async () => {
    const table = page.getByRole('table', { name: 'Keywords' });
    await page.getByLabel('Select buy sourdough starter online').check();
    await page.getByLabel('Set status of selected').selectOption('INACTIVE');
    await page.getByText('Status updated.').waitFor();
    await page.locator('.filters').getByLabel('Status').selectOption('INACTIVE');
    await page.waitForFunction(() => document.querySelectorAll('table[aria-label="Keywords"] tbody tr').length === 1);
    assert.equal(await table.locator('tbody tr td:nth-child(2)').textContent(), 'buy sourdough starter online');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    const { readFile } = await import('node:fs/promises');
    const csv = (await readFile(await download.path(), 'utf8')).trim().split(/\r?\n/);
    assert.equal(csv.length, 2, csv.join('\n')); // header + the one inactive keyword
    assert.match(csv[1], /buy sourdough starter online/);
    await page.getByLabel('Select buy sourdough starter online').check();
    await page.getByLabel('Set status of selected').selectOption('ACTIVE');
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByText('1–16 of 16').waitFor();
  });

  await check('auto cluster a selection: the progress bar moves live and reaches 100 %', async () => {
    await page.getByLabel('Select all on this page').check();
    await page.getByText('16 selected').waitFor();
    await recordProgress('Auto cluster');
    await page.getByRole('button', { name: 'Auto cluster' }).click();
    await waitJob('Auto cluster', 0);
    const seen = await page.evaluate(() => window.__progress);
    log('auto cluster progress:', seen.map((s) => `${s.v}%/${s.phase}`).join(' → '));
    const values = seen.map((s) => s.v);
    const between = new Set(values.filter((v) => v > 0 && v < 100));
    assert.ok(between.size >= 2, `expected intermediate percents, saw ${values.join(',')}`);
    assert.equal(values.at(-1), 100);
    for (let i = 1; i < values.length; i++) assert.ok(values[i] >= values[i - 1], `percent went back: ${values.join(',')}`);
    assert.ok(seen.some((s) => s.phase === 'Ai call'), 'the AI_CALL phase was shown');
    // the keyword table refreshed itself with the clusters
    await page.waitForFunction(() => [...document.querySelectorAll('table[aria-label="Keywords"] tbody tr td:nth-child(6)')].some((td) => td.textContent !== '—'));
    await shot(page, '03-planner-keywords');
  });

  await check('generate ideas for a cluster', async () => {
    await page.getByRole('link', { name: 'Clusters' }).click();
    const rows = page.getByRole('table', { name: 'Clusters' }).locator('tbody tr');
    await rows.first().waitFor();
    const n = await rows.count();
    assert.ok(n >= 1, 'auto clustering made no cluster');
    log(`${n} clusters`);
    await shot(page, '04-planner-clusters');
    await rows.first().getByRole('button', { name: 'Generate ideas' }).click();
    await waitJob('Generate ideas', 0);
    await page.waitForFunction(() => Number(document.querySelector('table[aria-label="Clusters"] tbody tr td:nth-child(4)')?.textContent) > 0);
  });

  await check('generating ideas again adds no duplicate and says so in red, charging nothing', async () => {
    const count = async () => (await api(page, '{ ideas { totalCount } }')).data.ideas.totalCount;
    const before = await count();
    const credits = await page.getByTestId('credits-balance').textContent();
    const rows = page.getByRole('table', { name: 'Clusters' }).locator('tbody tr');
    const done = await trayIds('Generate ideas');
    await rows.first().getByRole('button', { name: 'Generate ideas' }).click();
    const card = await finishedJob('Generate ideas', done);
    assert.equal(await card.getAttribute('data-status'), 'FAILED');
    assert.match(await card.locator('.job-error').textContent(), /no new ideas/);
    assert.equal(await card.locator('.job-failures li.error-text').count(), 1, 'the cluster, in red');
    assert.equal(await count(), before, 'no duplicate saved');
    assert.equal(await page.getByTestId('credits-balance').textContent(), credits, 'nothing charged');
  });

  await check('ideas show outlines and queue to the writer', async () => {
    await page.getByRole('link', { name: 'Ideas' }).click();
    const table = page.getByRole('table', { name: 'Ideas' });
    await table.locator('tbody tr').first().waitFor();
    await table.locator('tbody tr').first().locator('button.link').click();
    const outline = page.locator('ol.outline li');
    await outline.first().waitFor();
    assert.ok((await outline.count()) >= 2);
    await shot(page, '05-planner-ideas');
    await page.getByLabel('Select all on this page').check();
    await page.getByRole('button', { name: 'Queue to writer' }).click();
    await page.getByText(/tasks in the writer/).waitFor();
    await page.waitForFunction(() => [...document.querySelectorAll('table[aria-label="Ideas"] .badge')].some((b) => b.textContent === 'Queued'));
  });

  await check('settings: an author profile, a prompt override and its reset, a strategy', async () => {
    await page.getByRole('link', { name: 'Author profiles', exact: true }).click();
    await page.getByText('No author profiles yet').waitFor();
    const form = page.getByRole('form', { name: 'New author profile' });
    await form.getByLabel('Name').fill('Lucía');
    await form.getByLabel('Tone').fill('friendly');
    await form.getByLabel('Language').fill('es');
    await form.getByLabel('Description').fill('Writes for home bakers in Spain');
    await form.getByRole('button', { name: 'Add author profile' }).click();
    const row = page.getByRole('table', { name: 'Author profiles' }).locator('tbody tr');
    await row.first().waitFor();
    assert.deepEqual(await row.first().locator('td').evaluateAll((tds) => tds.slice(0, 3).map((t) => t.textContent)), ['Lucía', 'friendly', 'es']);
    await shot(page, '16-settings-authors');

    await page.getByRole('link', { name: 'Prompts', exact: true }).click();
    const ideas = page.getByRole('form', { name: 'Generate ideas prompt' });
    const area = ideas.getByLabel('Template for Generate ideas');
    await area.waitFor();
    assert.ok((await ideas.locator('code').count()) >= 1, 'placeholders are listed');
    const original = await area.inputValue();
    await area.fill('Ideas, please.\n{% if %}');
    await ideas.getByRole('button', { name: 'Save', exact: true }).click();
    const err = ideas.locator('.field-error');
    await err.waitFor();
    assert.match(await err.textContent(), /line \d+/);
    await area.fill(`${original}\n\nKeep every title under 60 characters.`);
    await ideas.getByRole('button', { name: 'Save', exact: true }).click();
    await ideas.getByText('Saved.').waitFor();
    await ideas.locator('.badge', { hasText: 'Custom' }).waitFor();
    await shot(page, '17-settings-prompts');
    await ideas.getByRole('button', { name: 'Reset to default' }).click();
    await ideas.getByText('Back on the default template.').waitFor();
    await ideas.locator('.badge', { hasText: 'Default' }).waitFor();
    assert.equal(await area.inputValue(), original);
    assert.equal(await ideas.getByRole('button', { name: 'Reset to default' }).isDisabled(), true);

    await page.getByRole('link', { name: 'Strategies', exact: true }).click();
    const sform = page.getByRole('form', { name: 'New strategy' });
    await sform.getByLabel('Name').fill('FAQ ending');
    await sform.getByLabel('Section logic').fill('End every article with an FAQ.');
    await sform.getByLabel('Generate content').check();
    await sform.getByRole('button', { name: 'Add strategy' }).click();
    await page.getByRole('table', { name: 'Strategies' }).getByRole('cell', { name: 'FAQ ending', exact: true }).waitFor();
    await shot(page, '18-settings-strategies');
  });

  await check('integrations: a bogus OpenAI key is stored write-only and its test fails; back to the server default', async () => {
    await page.getByRole('link', { name: 'Integrations', exact: true }).click();
    const form = page.getByRole('form', { name: 'Integration settings' });
    await form.getByLabel('Text provider').waitFor();
    await form.getByLabel('Text provider').selectOption('OPENAI');
    await form.getByLabel('OpenAI base URL').fill('http://127.0.0.1:9/v1');
    const key = form.getByLabel('OpenAI API key', { exact: true });
    await key.fill('sk-e2e-bogus-0123456789abcdef');
    await form.getByRole('button', { name: 'Save settings' }).click();
    await form.getByText('Saved.').waitFor();
    assert.equal(await key.inputValue(), '', 'the key field is empty after save');
    const hint = await page.getByTestId('int-openai-key-help').textContent();
    assert.match(hint, /^Account key sk-/);
    assert.ok(!hint.includes('0123456789abcdef'), hint);
    assert.ok(!(await page.content()).includes('sk-e2e-bogus-0123456789abcdef'), 'the key is nowhere in the page');
    await page.getByTestId('int-text-help').filter({ hasText: 'In use: OpenAI-compatible' }).waitFor();
    await page.getByRole('button', { name: 'Test text provider' }).click();
    const result = page.getByTestId('text-test');
    await result.waitFor({ timeout: 30_000 });
    const text = await result.textContent();
    log('testIntegration:', text);
    assert.match(text, /^Failed/);
    assert.match(text, /^Failed \(OpenAI-compatible, \d+ ms\): \S+/, 'a failure message is shown');
    await shot(page, '19-settings-integrations');
    await form.getByLabel('Text provider').selectOption('');
    await form.getByLabel('OpenAI base URL').fill('');
    await form.getByLabel("Remove the account's OpenAI key").check();
    await form.getByRole('button', { name: 'Save settings' }).click();
    await page.getByTestId('int-text-help').filter({ hasText: 'In use: Offline (built in)' }).waitFor();
    await page.getByTestId('int-openai-key-help').filter({ hasText: /^(No key|The server's key)$/ }).waitFor();
    await page.getByRole('button', { name: 'Test image generation' }).click();
    await page.getByTestId('image-test').locator('img').waitFor();
    assert.ok(await page.getByTestId('image-test').locator('img').evaluate((i) => i.complete && i.naturalWidth > 0), 'the test image loads');
  });

  await check('a failing provider: the job ends FAILED in red with the reason, and "retry failed items" succeeds', async () => {
    // the account's provider points at a closed port
    const set = await api(page, 'mutation { updateIntegrationSettings(input: {textProvider: OPENAI, openaiBaseUrl: "http://127.0.0.1:9/v1", openaiApiKey: "sk-e2e-bogus-0123456789abcdef"}) { textProvider } }');
    assert.equal(set.data.updateIntegrationSettings.textProvider, 'OPENAI', JSON.stringify(set));
    await page.getByRole('link', { name: 'Clusters' }).click();
    const rows = page.getByRole('table', { name: 'Clusters' }).locator('tbody tr');
    await rows.first().waitFor();
    const done = await trayIds('Generate ideas');
    await rows.last().getByRole('button', { name: 'Generate ideas' }).click();
    const card = await finishedJob('Generate ideas', done);
    assert.equal(await card.getAttribute('data-status'), 'FAILED');
    const reason = await card.locator('.job-failures li.error-text').textContent();
    assert.match(reason, /could not connect/, reason);
    assert.equal(await card.locator('.job-failures li').evaluate((e) => getComputedStyle(e).color), 'rgb(180, 35, 24)', 'red');
    await shot(page, '22-failed-job');
    // the provider is back; retry just that item
    await api(page, 'mutation { updateIntegrationSettings(input: {textProvider: null, openaiBaseUrl: null, openaiApiKey: null}) { textProvider } }');
    const before = await trayIds('Generate ideas');
    await card.getByRole('button', { name: 'Retry failed items (1)' }).click();
    const retry = await finishedJob('Generate ideas', before);
    assert.equal(await retry.getAttribute('data-status'), 'SUCCEEDED', await retry.textContent());
  });

  let contentUrl = '';
  await check('generate content for the tasks in an author\'s voice, with "n of N" progress', async () => {
    await page.getByRole('link', { name: 'Tasks' }).click();
    const table = page.getByRole('table', { name: 'Tasks' });
    await table.locator('tbody tr').first().waitFor();
    const tasks = await table.locator('tbody tr').count();
    await page.getByLabel('Author profile').locator('option', { hasText: 'Lucía' }).waitFor({ state: 'attached' });
    await page.getByLabel('Author profile').selectOption({ label: 'Lucía (friendly, es)' });
    await page.getByLabel('Select all on this page').check();
    await recordProgress('Generate content');
    await page.getByRole('button', { name: 'Generate content' }).click();
    await waitJob('Generate content', 0);
    const seen = await page.evaluate(() => window.__progress);
    log('content progress:', seen.map((s) => `${s.v}% ${s.items}`).join(' → '));
    assert.ok(seen.some((s) => s.items === `${tasks} of ${tasks}`), `saw ${seen.map((s) => s.items).join(',')}`);
    await page.waitForFunction(() => [...document.querySelectorAll('table[aria-label="Tasks"] tbody tr td:last-child')].every((td) => /words/.test(td.textContent)));
    await shot(page, '06-writer-tasks');
    await page.getByRole('link', { name: 'Content', exact: true }).click();
    const link = page.getByRole('table', { name: 'Content' }).locator('tbody tr a').first();
    await link.waitFor();
    await shot(page, '07-writer-content');
    await link.click();
    await page.getByRole('region', { name: 'Preview' }).locator('h2').first().waitFor();
    // the offline provider honours the author's language
    const article = await page.getByRole('region', { name: 'Preview' }).textContent();
    assert.match(article, /\b(que|para|los|las)\b/, `not Spanish: ${article.slice(0, 200)}`);
    contentUrl = page.url();
  });

  await check('the editor previews sanitised HTML and saves meta fields', async () => {
    const html = page.getByLabel('HTML');
    const original = await html.inputValue();
    injectedHandler = true;
    await html.fill(`${original}<p id="e2e-extra">Extra paragraph</p><script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">`);
    await page.locator('.article #e2e-extra').waitFor();
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    assert.equal(await page.locator('.article script').count(), 0);
    await page.getByLabel('Meta title').fill('The apple pie guide');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText(/Saved at/).waitFor();
    await page.getByRole('heading', { name: 'The apple pie guide' }).waitFor();
    injectedHandler = false;
  });

  await check('image prompts, then images that load in the gallery', async () => {
    await page.getByLabel('In-article images per article').selectOption('2');
    await page.getByRole('button', { name: 'Generate image prompts' }).click();
    await waitJob('Generate image prompts', 0);
    await page.waitForFunction(() => document.querySelectorAll('ul.gallery li').length >= 2);
    const tiles = await page.locator('ul.gallery li').count();
    log(`${tiles} image prompts`);
    await page.getByRole('button', { name: /^Generate images/ }).click();
    await waitJob('Generate images', 0);
    await page.waitForFunction(
      (n) => {
        const imgs = [...document.querySelectorAll('ul.gallery img')];
        return imgs.length === n && imgs.every((i) => i.complete && i.naturalWidth > 0);
      },
      Math.min(tiles, 6),
      { timeout: 30_000 },
    );
    const widths = await page.$$eval('ul.gallery img', (is) => is.map((i) => i.naturalWidth));
    log('image widths:', widths.join(', '));
    await shot(page, '08-writer-editor');
    await page.getByRole('link', { name: 'Images' }).click();
    await page.waitForFunction((n) => [...document.querySelectorAll('ul.gallery img')].filter((i) => i.complete && i.naturalWidth > 0).length === n, Math.min(tiles, 6));
    await shot(page, '09-writer-images');
  });

  await check('jobs, credits and usage pages show the history', async () => {
    await page.getByRole('link', { name: 'Jobs' }).click();
    const rows = page.getByRole('table', { name: 'Finished jobs' }).locator('tbody tr');
    await page.waitForFunction(() => document.querySelectorAll('table[aria-label="Finished jobs"] tbody tr').length === 8); // three more from the truth checks: a duplicate ideas run, a failing provider, its retry
    assert.equal(await rows.count(), 8);
    // the failed ones in red with their reason
    assert.ok((await page.locator('table[aria-label="Finished jobs"] tr[data-status="FAILED"] .job-failures li.error-text').count()) >= 2);
    await shot(page, '10-jobs');
    await page.getByRole('link', { name: 'Credits', exact: true }).click();
    await page.getByRole('table', { name: 'Credit transactions' }).locator('tbody tr').first().waitFor();
    const deductions = await page.getByRole('table', { name: 'Credit transactions' }).getByRole('cell', { name: 'Deduction', exact: true }).count();
    // one per charged job (image prompts may be free)
    assert.ok(deductions >= 4, `${deductions} deductions`);
    await shot(page, '11-credits');
    await page.getByRole('link', { name: 'Usage' }).click();
    await page.getByRole('table', { name: 'AI usage' }).locator('tbody tr').nth(3).waitFor();
    await shot(page, '12-usage');
    await page.getByRole('link', { name: 'Users & access' }).click();
    await page.getByRole('table', { name: 'Users' }).getByText(email).first().waitFor();
    await shot(page, '13-settings');
  });

  await check('automation: the pipeline shows pending work and a schedule is saved', async () => {
    await page.getByRole('link', { name: 'Automation' }).click();
    const pipeline = page.getByRole('region', { name: 'Pipeline' });
    await pipeline.waitFor();
    assert.equal(await pipeline.locator('li.stage').count(), 7);
    await page.getByTestId('stage-CLUSTERS').getByText(/pending/).waitFor();
    await page.getByRole('button', { name: 'Run the pipeline now' }).waitFor();
    const form = page.getByRole('form', { name: 'Automation configuration' });
    await form.locator('input[name="scheduleOn"]').check();
    await form.locator('select[name="frequency"]').selectOption('WEEKLY');
    await form.locator('input[name="time"]').fill('09:30');
    await form.locator('input[name="timeZone"]').fill('Europe/Berlin');
    await form.getByRole('button', { name: 'Save configuration' }).click();
    await form.getByRole('status').getByText('Saved.').waitFor();
    await page.getByTestId('next-run').getByText('30 9 * * 1, Europe/Berlin', { exact: false }).waitFor();
    await shot(page, '25-automation');
  });

  await check('phone width: the navigation opens from the menu button', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Keywords' }).click();
    await page.getByRole('table', { name: 'Keywords' }).waitFor();
    await shot(page, '14-phone-keywords');
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Integrations' }).click();
    await page.getByRole('form', { name: 'Integration settings' }).waitFor();
    await shot(page, '20-phone-integrations');
    await page.setViewportSize({ width: 1360, height: 900 });
  });

  await check('the session was refreshed silently along the way', async () => {
    const now = await stored();
    assert.notEqual(now.refreshToken, firstSession.refreshToken, 'the refresh token never rotated');
    assert.notEqual(now.accessToken, firstSession.accessToken);
    assert.equal(new URL(page.url()).origin, base); // still signed in, never sent back to /signin
    assert.ok(!page.url().includes('signin'));
  });

  await check('a second user sees none of the first user\'s data', async () => {
    const other = await launch();
    const p2 = other.pages()[0] ?? (await other.newPage());
    p2.setDefaultTimeout(30_000);
    await p2.goto(`${base}/signup`);
    await p2.getByLabel('Company or team name').fill('Other Co');
    await p2.getByLabel('Email').fill(`bob-${Date.now()}@example.com`);
    await p2.getByLabel('Password').fill(PASSWORD);
    await p2.getByRole('button', { name: 'Sign up' }).click();
    await p2.waitForURL(`${base}/sites`);
    await p2.getByText('No sites yet').waitFor();
    await p2.getByRole('link', { name: 'Keywords' }).click();
    await p2.getByText('Create a site first').waitFor();
    // the first user's article, by its URL
    await p2.goto(contentUrl);
    await p2.getByRole('alert').filter({ hasText: /Not found/ }).waitFor();
    // and straight through the API with the second user's token
    const counts = await p2.evaluate(async () => {
      const token = JSON.parse(localStorage.getItem('igny8.session')).accessToken;
      const r = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ sites { totalCount } keywords { totalCount } contents { totalCount } jobs { totalCount } }' }),
      });
      return (await r.json()).data;
    });
    assert.deepEqual(counts, { sites: { totalCount: 0 }, keywords: { totalCount: 0 }, contents: { totalCount: 0 }, jobs: { totalCount: 0 } });
    await other.close();
  });

  await check('an editor reads prompts, authors and strategies without write controls; integrations are for owners', async () => {
    const editorEmail = `eve-${Date.now()}@example.com`;
    await page.getByRole('link', { name: 'Users & access' }).click();
    const add = page.getByRole('form', { name: 'Add a user' });
    await add.getByLabel('Email').fill(editorEmail);
    await add.getByLabel('Initial password').fill(PASSWORD);
    await add.getByLabel('Role').selectOption('EDITOR');
    await add.getByRole('button', { name: 'Add user' }).click();
    await page.getByRole('table', { name: 'Users' }).getByText(editorEmail).first().waitFor();
    const other = await launch();
    const p3 = other.pages()[0] ?? (await other.newPage());
    p3.setDefaultTimeout(30_000);
    await p3.goto(`${base}/signin`);
    await p3.getByLabel('Email').fill(editorEmail);
    await p3.getByLabel('Password').fill(PASSWORD);
    await p3.getByRole('button', { name: 'Sign in' }).click();
    await p3.waitForURL((u) => !u.pathname.startsWith('/signin'));
    // owner/admin pages are hidden from the menu, and refused by URL
    await p3.getByRole('link', { name: 'Prompts', exact: true }).waitFor();
    assert.equal(await p3.getByRole('link', { name: 'Integrations', exact: true }).count(), 0);
    assert.equal(await p3.getByRole('link', { name: 'Users & access', exact: true }).count(), 0);
    await p3.goto(`${base}/settings/integrations`);
    await p3.getByText('Only owners and admins can see and change integration settings.').waitFor();
    await p3.getByRole('link', { name: 'Prompts', exact: true }).click();
    await p3.getByLabel('Template for Generate content').waitFor();
    assert.equal(await p3.getByLabel('Template for Generate content').getAttribute('readonly'), '');
    assert.equal(await p3.getByRole('button', { name: 'Reset to default' }).count(), 0);
    assert.equal(await p3.getByRole('button', { name: 'Save', exact: true }).count(), 0);
    await p3.getByRole('link', { name: 'Author profiles', exact: true }).click();
    await p3.getByRole('table', { name: 'Author profiles' }).getByRole('cell', { name: 'Lucía' }).waitFor();
    assert.equal(await p3.getByRole('form', { name: 'New author profile' }).count(), 0);
    assert.equal(await p3.getByRole('button', { name: /^(Edit|Delete) / }).count(), 0);
    await p3.getByRole('link', { name: 'Strategies', exact: true }).click();
    await p3.getByRole('table', { name: 'Strategies' }).getByRole('cell', { name: 'FAQ ending', exact: true }).waitFor();
    assert.equal(await p3.getByRole('form', { name: 'New strategy' }).count(), 0);
    await p3.screenshot({ path: `${shots}/21-editor-strategies.png`, fullPage: true });
    await other.close();
  });

  await check('Semrush, Ahrefs and Keyword Planner exports import with volume and difficulty; 120 keywords clustered by one job', async () => {
    await page.getByRole('link', { name: 'Sites & sectors' }).click();
    await page.getByLabel('New sector in Acme Blog').fill('Coffee');
    await page.getByRole('button', { name: 'Add sector' }).click();
    await page.getByRole('cell', { name: 'Coffee', exact: true }).waitFor();
    await page.getByLabel('Sector', { exact: true }).selectOption({ label: 'Coffee' });
    await page.getByRole('link', { name: 'Keywords' }).click();
    const fixtures = new URL('../../core/tests/fixtures/imports/', import.meta.url).pathname;
    for (const [file, keyword, volume, difficulty] of [
      ['semrush.csv', 'best espresso machine', '33,100', '78'],
      ['ahrefs.csv', 'best french press', '9,900', '38'],
      ['keyword_planner.csv', 'decaf espresso beans', '1,000', '89'],
    ]) {
      await page.getByRole('button', { name: 'Import CSV' }).click();
      await page.getByLabel('CSV file').setInputFiles(fixtures + file);
      await page.waitForFunction(() => document.querySelector('textarea[name="csv"]')?.value.length > 0);
      await page.getByRole('button', { name: 'Import', exact: true }).click();
      const status = page.locator('.import-result');
      await status.filter({ hasText: /3 created/ }).waitFor();
      assert.match(await page.getByTestId('ignored-columns').textContent(), /Columns not read: /, file);
      await page.getByRole('button', { name: 'Import CSV' }).click(); // close
      const row = page.getByRole('table', { name: 'Keywords' }).locator('tbody tr', { hasText: keyword });
      await row.waitFor();
      const cells = await row.locator('td').allTextContents();
      assert.ok(cells.includes(volume) && cells.includes(difficulty), `${file}: ${cells.join(' | ')}`);
    }
    // 120 more, then the whole sector in one job
    const topics = ['espresso machine', 'pour over kettle', 'cold brew maker', 'french press', 'moka pot', 'milk frother'];
    const mods = ['best', 'cheap', 'how to clean a', 'buy', 'review of a', 'small', 'quiet', 'electric', 'manual', 'travel', 'large', 'used', 'vintage', 'modern', 'simple', 'stainless', 'glass', 'ceramic', 'portable', 'automatic'];
    const csv = ['keyword,volume', ...topics.flatMap((t, i) => mods.map((m, j) => `${m} ${t} e2e,${100 + i * 20 + j}`))].join('\n');
    await page.getByRole('button', { name: 'Import CSV' }).click();
    await page.getByLabel('…or paste CSV').fill(csv);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.locator('.import-result').filter({ hasText: /120 created/ }).waitFor();
    const done = await trayIds('Auto cluster');
    await page.getByRole('button', { name: 'Cluster whole sector' }).click();
    const card = await finishedJob('Auto cluster', done);
    assert.equal(await card.getAttribute('data-status'), 'SUCCEEDED', await card.textContent());
    const sector = await page.getByLabel('Sector', { exact: true }).inputValue();
    const r = await api(page, 'query($s: ID!) { clusters(filter: {sectorId: $s}, first: 100) { nodes { name keywordsCount } } keywords(filter: {sectorId: $s, clustered: true}) { totalCount } }', { s: sector });
    const names = r.data.clusters.nodes.map((c) => c.name.toLowerCase());
    assert.equal(new Set(names).size, names.length, `duplicate cluster names: ${names}`);
    assert.ok(r.data.keywords.totalCount >= 100, JSON.stringify(r.data.keywords));
    const job = (await api(page, '{ jobs(first: 1, filter: {function: AUTO_CLUSTER}) { nodes { itemsTotal items { id } } } }')).data.jobs.nodes[0];
    assert.ok(job.items.length >= 120 && job.itemsTotal >= 6, JSON.stringify({ items: job.items.length, calls: job.itemsTotal }));
    await shot(page, '23-sector-clustered');
  });

  await check('a viewer sees no write button', async () => {
    const viewerEmail = `vic-${Date.now()}@example.com`;
    await page.getByRole('link', { name: 'Users & access' }).click();
    const add = page.getByRole('form', { name: 'Add a user' });
    await add.getByLabel('Email').fill(viewerEmail);
    await add.getByLabel('Initial password').fill(PASSWORD);
    await add.getByLabel('Role').selectOption('VIEWER');
    await add.getByRole('button', { name: 'Add user' }).click();
    await page.getByRole('table', { name: 'Users' }).getByText(viewerEmail).first().waitFor();
    const users = (await api(page, '{ users { nodes { id email } } sites { nodes { id } } }')).data;
    const vic = users.users.nodes.find((u) => u.email === viewerEmail);
    const g = await api(page, 'mutation($u: ID!, $s: ID!) { grantSiteAccess(input: {userId: $u, siteId: $s}) { id } }', { u: vic.id, s: users.sites.nodes[0].id });
    assert.ok(!g.errors, JSON.stringify(g));
    const other = await launch();
    const pv = other.pages()[0] ?? (await other.newPage());
    pv.setDefaultTimeout(30_000);
    await pv.goto(`${base}/signin`);
    await pv.getByLabel('Email').fill(viewerEmail);
    await pv.getByLabel('Password').fill(PASSWORD);
    await pv.getByRole('button', { name: 'Sign in' }).click();
    await pv.waitForURL((u) => !u.pathname.startsWith('/signin'));
    await pv.getByRole('link', { name: 'Keywords' }).click();
    await pv.getByRole('table', { name: 'Keywords' }).locator('tbody tr').first().waitFor();
    assert.equal(await pv.title(), 'Keywords · igny8', 'the page title names the page');
    const writeButtons = /^(Add keyword|Import CSV|Cluster whole sector|Auto cluster|Delete.*|Generate .*|Queue to writer|Create .*|Save|Retry failed items.*)$/;
    for (const link of ['Keywords', 'Clusters', 'Ideas', 'Tasks']) {
      await pv.getByRole('link', { name: link, exact: true }).click();
      await pv.getByRole('heading', { name: link, level: 1 }).waitFor();
      const names = await pv.getByRole('button').allTextContents();
      const write = names.filter((n) => writeButtons.test(n.trim()));
      assert.deepEqual(write, [], `${link}: a viewer sees ${write.join(', ')}`);
      assert.equal(await pv.locator('.bulkbar').count(), 0, `${link}: bulk actions`);
    }
    await pv.screenshot({ path: `${shots}/24-viewer-keywords.png`, fullPage: true });
    await other.close();
  });

  await check('GraphiQL loads with no external request, runs a query and a subscription', async () => {
    const gp = await ctx.newPage();
    cspViolations(gp);
    const origin = new URL(base).origin;
    const external = [];
    const sockets = [];
    gp.on('request', (r) => {
      const u = r.url();
      if (!u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:')) external.push(u);
    });
    gp.on('websocket', (ws) => sockets.push(ws.url()));
    await gp.goto(`${base}/graphiql`);
    await gp.locator('.graphiql-query-editor .CodeMirror').waitFor();
    const run = async (query) => {
      await gp.evaluate((q) => document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.setValue(q), query);
      await gp.locator('.graphiql-execute-button').click();
    };
    const result = () => gp.evaluate(() => document.querySelector('.result-window .CodeMirror')?.CodeMirror.getValue() ?? '');
    await run('query { me { email account { name } } }');
    await gp.waitForFunction((e) => (document.querySelector('.result-window .CodeMirror')?.CodeMirror.getValue() ?? '').includes(e), email);
    const jobId = await gp.evaluate(async () => {
      const token = JSON.parse(localStorage.getItem('igny8.session')).accessToken;
      const r = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ jobs(first: 1) { nodes { id } } }' }),
      });
      return (await r.json()).data.jobs.nodes[0].id;
    });
    await run(`subscription { jobProgress(jobId: "${jobId}") { jobId seq status phase percent } }`);
    await gp
      .waitForFunction(() => /"SUCCEEDED"/.test(document.querySelector('.result-window .CodeMirror')?.CodeMirror.getValue() ?? ''), null, { timeout: 15_000 })
      .catch(async (e) => {
        await gp.screenshot({ path: `${shots}/failure-graphiql.png` });
        log('graphiql result:', await result(), 'sockets:', sockets.join(', '));
        throw e;
      });
    const text = await result();
    assert.match(text, /"percent": 100/);
    await gp.screenshot({ path: `${shots}/15-graphiql.png` });
    assert.deepEqual(external, [], `external requests: ${external.join(', ')}`);
    assert.ok(sockets.length >= 1 && sockets.every((u) => u.startsWith(origin.replace(/^http/, 'ws'))), `sockets: ${sockets.join(', ')}`);
    await gp.close();
  });

  await check('no uncaught page errors', async () => {
    assert.deepEqual(consoleErrors, []);
  });

  console.log(`e2e: ${passed} passed, 0 failed`);
}
