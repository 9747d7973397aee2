// End-to-end: the real `igny8 serve` (fresh database, own Redis prefix), the
// graphql-http audit against it, and the built client in headless Chromium
// (Debian's, driven by playwright-core).
//
//   npm run test:e2e                 builds the client, finds or builds the binary
//   IGNY8_E2E_SKIP_BUILD=1           reuse web/dist
//   IGNY8_E2E_KEEP=1                 keep the database and the server log
//   IGNY8_E2E_ONLY=seeds             run only one part: flow (with the audit), seeds or links (quick loops)
import { chromium } from 'playwright-core';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { audit } from './audit.mjs';
import { flow } from './flow.mjs';
import { links } from './links.mjs';
import { seeds } from './seeds.mjs';

const WEB = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const REPO = resolve(WEB, '..');
const SHOTS = join(WEB, 'e2e', 'screenshots');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
  '--no-first-run', '--disable-component-update', '--disable-sync',
];

const log = (...a) => console.log('[e2e]', ...a);
const rand = Math.random().toString(36).slice(2, 10);
const ONLY = process.env.IGNY8_E2E_ONLY || '';
const PARTS = ['flow', 'seeds', 'links'];
/** Whether this run includes `part` (all of them unless IGNY8_E2E_ONLY names one). */
const runs = (part) => !ONLY || ONLY === part;
const cleanups = [];

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.on('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

function withDb(url, db) {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

function binary() {
  const target = process.env.CARGO_TARGET_DIR || join(REPO, 'target');
  const bin = process.env.IGNY8_BIN || join(target, 'debug', 'igny8');
  if (!existsSync(bin)) {
    log('building the igny8 binary');
    execFileSync('cargo', ['build', '--bin', 'igny8'], { cwd: REPO, stdio: 'inherit' });
  }
  return bin;
}

/** Deletes this run's Redis keys (best effort: needs redis-cli). */
function dropRedisKeys(url, prefix) {
  try {
    const keys = execFileSync('redis-cli', ['-u', url, '--scan', '--pattern', `${prefix}:*`], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
    for (let i = 0; i < keys.length; i += 500) execFileSync('redis-cli', ['-u', url, 'DEL', ...keys.slice(i, i + 500)], { stdio: 'ignore' });
  } catch {
    log(`redis-cli unavailable: keys under ${prefix}: stay`);
  }
}

async function waitReady(base, server) {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`igny8 serve exited with ${server.exitCode}`);
    try {
      const r = await fetch(`${base}/readyz`);
      if (r.ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('igny8 serve did not become ready in 120 s');
}

async function main() {
  if (ONLY && !PARTS.includes(ONLY)) throw new Error(`IGNY8_E2E_ONLY=${ONLY}: not one of ${PARTS.join(', ')}`);
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  if (!process.env.IGNY8_E2E_SKIP_BUILD) {
    log('building the web client');
    execFileSync('npm', ['run', 'build'], { cwd: WEB, stdio: 'inherit' });
  }
  const bin = binary();

  const dbBase = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/igny8';
  const admin = withDb(dbBase, 'postgres');
  const dbName = `igny8_e2e_${rand}`;
  execFileSync('psql', [admin, '-qc', `CREATE DATABASE ${dbName}`], { stdio: 'inherit' });
  if (!process.env.IGNY8_E2E_KEEP)
    cleanups.push(() => execFileSync('psql', [admin, '-qc', `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`], { stdio: 'inherit' }));

  const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
  const prefix = `e2e-${rand}`;
  cleanups.push(() => dropRedisKeys(redisUrl, prefix));

  const tmp = mkdtempSync(join(tmpdir(), 'igny8-e2e-'));
  cleanups.push(() => rmSync(tmp, { recursive: true, force: true }));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const logFile = join(tmp, 'server.log');
  const { openSync } = await import('node:fs');
  const out = openSync(logFile, 'w');
  const server = spawn(bin, ['serve'], {
    cwd: REPO,
    stdio: ['ignore', out, out],
    env: {
      ...process.env,
      DATABASE_URL: withDb(dbBase, dbName),
      REDIS_URL: redisUrl,
      IGNY8_LISTEN: `127.0.0.1:${port}`,
      IGNY8_WEB_DIR: join(WEB, 'dist'),
      IGNY8_MEDIA_DIR: join(tmp, 'media'),
      IGNY8_REDIS_PREFIX: prefix,
      // the integrations check points an account's base URL at a closed loopback port
      IGNY8_OUTBOUND_ALLOW: '127.0.0.1/32',
      IGNY8_OFFLINE_LATENCY_MS: process.env.IGNY8_OFFLINE_LATENCY_MS || '150',
      // short-lived access tokens: the client refreshes (60 s before expiry)
      // within seconds, so the flow runs on silently refreshed tokens
      IGNY8_ACCESS_TOKEN_TTL_SECS: '65',
      RUST_LOG: process.env.RUST_LOG || 'warn',
    },
  });
  cleanups.push(
    () =>
      new Promise((ok) => {
        if (server.exitCode !== null) return ok();
        server.once('exit', ok);
        server.kill('SIGTERM');
        setTimeout(() => server.kill('SIGKILL'), 5000).unref();
      }),
  );
  log(`igny8 serve on ${base} (database ${dbName})`);
  await waitReady(base, server);
  if (runs('flow')) await audit({ base, log });

  rmSync(SHOTS, { recursive: true, force: true }); // no stale screenshots from an earlier run
  mkdirSync(SHOTS, { recursive: true });
  const launch = async () => {
    const dir = mkdtempSync(join(tmp, 'profile-'));
    const ctx = await chromium.launchPersistentContext(dir, {
      executablePath: CHROMIUM,
      headless: true,
      args: FLAGS,
      viewport: { width: 1360, height: 900 },
    });
    cleanups.push(() => ctx.close().catch(() => {}));
    return ctx;
  };
  try {
    if (runs('flow')) await flow({ base, launch, shots: SHOTS, log });
    if (runs('seeds')) await seeds({ base, launch, shots: SHOTS, log });
    if (runs('links')) await links({ base, launch, logFile, shots: SHOTS, log });
  } catch (e) {
    if (existsSync(logFile)) {
      const { readFileSync } = await import('node:fs');
      console.error('--- server log (tail) ---\n' + readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n'));
    }
    throw e;
  }
  writeFileSync(join(SHOTS, '.done'), new Date().toISOString());
}

let code = 0;
try {
  await main();
} catch (e) {
  console.error('[e2e] FAILED:', e?.stack || e);
  code = 1;
}
for (const c of cleanups.reverse()) {
  try {
    await c();
  } catch (e) {
    console.error('[e2e] cleanup:', e?.message || e);
  }
}
process.exit(code);
