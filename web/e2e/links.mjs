// The mailed links, followed as a person would: the development server has no
// SMTP, so it logs each mail; this reads the link out of the server log and
// opens it in the browser (confirm an address, reset a forgotten password,
// accept an invitation).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const PASSWORD = 'a long e2e password';

/** Strips terminal colours from the text log. */
const plain = (s) => s.replace(/\x1b\[[0-9;]*m/g, '');

export async function links({ base, launch, logFile, shots, log }) {
  const rand = Math.random().toString(36).slice(2, 8);
  const owner = `links-owner-${rand}@example.com`;
  const invitee = `links-invitee-${rand}@example.com`;
  let passed = 0;
  let page;
  const check = async (name, fn) => {
    try {
      await fn();
    } catch (e) {
      log(`not ok links ${passed + 1} - ${name}`);
      await page?.screenshot({ path: `${shots}/links-failure.png`, fullPage: true }).catch(() => {});
      throw e;
    }
    passed++;
    log(`ok links ${passed} - ${name}`);
  };

  const gql = async (query, variables, token) => {
    const r = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    const body = await r.json();
    assert.ok(!body.errors, `${query.slice(0, 40)}…: ${JSON.stringify(body.errors)}`);
    return body.data;
  };

  /**
   * The token of the newest mail to `to` whose link opens `path`, waiting
   * until the server has logged one that `seen` does not hold.
   */
  const seen = new Set();
  const mailedToken = async (to, path) => {
    const deadline = Date.now() + 15_000;
    const re = new RegExp(`/${path}\\?token=([A-Za-z0-9_-]+)`);
    for (;;) {
      // one log record per line start with a timestamp; a mail body spans lines
      const records = plain(readFileSync(logFile, 'utf8')).split(/\n(?=\s*\d{4}-\d{2}-\d{2}T)/);
      const tokens = records
        .filter((r) => r.includes(`mail.to=${to}`))
        .map((r) => r.match(re)?.[1])
        .filter((t) => t && !seen.has(t));
      if (tokens.length) {
        const t = tokens[tokens.length - 1];
        seen.add(t);
        return t;
      }
      if (Date.now() > deadline) throw new Error(`no ${path} mail to ${to} in the server log`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  const signup = await gql(
    `mutation($input: SignupInput!) { signup(input: $input) { accessToken user { id } } }`,
    { input: { email: owner, password: PASSWORD, accountName: `Links ${rand}` } },
  );
  const ownerToken = signup.signup.accessToken;
  const verified = async (token) => (await gql(`{ me { emailVerified } }`, {}, token)).me.emailVerified;

  const ctx = await launch();
  page = ctx.pages()[0] ?? (await ctx.newPage());
  page.setDefaultTimeout(30_000);

  await check('the signup mail\'s link confirms the address, and the token leaves the address bar', async () => {
    assert.equal(await verified(ownerToken), false);
    const token = await mailedToken(owner, 'verify-email');
    await page.goto(`${base}/verify-email?token=${token}`);
    await page.getByRole('heading', { name: 'Confirm your email address' }).waitFor();
    await page.waitForFunction(() => !location.search.includes('token'));
    // nothing happens until the person confirms (mail scanners open links too)
    assert.equal(await verified(ownerToken), false);
    await page.getByRole('button', { name: 'Confirm my address' }).click();
    await page.getByRole('status').filter({ hasText: 'Your address is confirmed' }).waitFor();
    assert.equal(await verified(ownerToken), true);
    await page.screenshot({ path: `${shots}/links-verified.png` });
  });

  await check('a used link says so instead of succeeding again', async () => {
    const [token] = [...seen];
    await page.goto(`${base}/verify-email?token=${token}`);
    await page.getByRole('button', { name: 'Confirm my address' }).click();
    await page.getByRole('alert').filter({ hasText: 'invalid or has expired' }).waitFor();
  });

  await check('forgot password: the mailed link sets a new password that signs in', async () => {
    await page.goto(`${base}/signin`);
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.getByLabel('Email', { exact: true }).fill(owner);
    await page.getByRole('button', { name: 'Send me a link' }).click();
    await page.getByRole('status').filter({ hasText: 'is on its way' }).waitFor();
    const token = await mailedToken(owner, 'reset-password');
    await page.goto(`${base}/reset-password?token=${token}`);
    const fresh = 'another long e2e password';
    await page.getByLabel('New password', { exact: true }).fill(fresh);
    await page.getByLabel('Repeat the password', { exact: true }).fill('not the same password');
    await page.getByRole('button', { name: 'Set the new password' }).click();
    await page.getByRole('alert').filter({ hasText: 'The two passwords differ' }).waitFor();
    await page.getByLabel('Repeat the password', { exact: true }).fill(fresh);
    await page.getByRole('button', { name: 'Set the new password' }).click();
    await page.getByRole('status').filter({ hasText: 'Your password is changed' }).waitFor();
    // every earlier session ended with the reset
    const r = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ownerToken}` },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    const body = await r.json();
    assert.equal(body.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED', JSON.stringify(body));
    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.getByLabel('Email', { exact: true }).fill(owner);
    await page.getByLabel('Password', { exact: true }).fill(fresh);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/signin'));
  });

  await check('an invitation link lets the invitee choose a password and lands signed in as them', async () => {
    const login = await gql(
      `mutation($input: LoginInput!) { login(input: $input) { accessToken } }`,
      { input: { email: owner, password: 'another long e2e password' } },
    );
    await gql(
      `mutation($input: InviteUserInput!) { inviteUser(input: $input) { id } }`,
      { input: { email: invitee, name: 'Invited Person', role: 'EDITOR' } },
      login.login.accessToken,
    );
    const token = await mailedToken(invitee, 'accept-invitation');
    // a fresh browser, as the invitee would open it
    const other = await launch();
    page = other.pages()[0] ?? (await other.newPage());
    page.setDefaultTimeout(30_000);
    await page.goto(`${base}/accept-invitation?token=${token}`);
    await page.getByLabel('Your name', { exact: true }).fill('Invited Person');
    await page.getByLabel('Choose a password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Repeat the password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Join' }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/accept-invitation'));
    const session = await page.evaluate(() => JSON.parse(localStorage.getItem('igny8.session') ?? 'null'));
    assert.equal(session?.email, invitee);
    const me = await gql(`{ me { email role emailVerified } }`, {}, session.accessToken);
    assert.deepEqual(me.me, { email: invitee, role: 'EDITOR', emailVerified: true });
  });

  await check('a link without its token explains what to do', async () => {
    await page.goto(`${base}/reset-password`);
    await page.getByRole('alert').filter({ hasText: 'needs the link from your password reset mail' }).waitFor();
  });
  console.log(`e2e links: ${passed} passed`);
}
