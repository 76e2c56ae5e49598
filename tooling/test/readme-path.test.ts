/**
 * The README's first ten minutes, on a fresh clone of this commit, in real Chromium:
 * `npm install`, `npm start -- --port N` (it builds), the examples index, the CDN example filled in,
 * its journey on the dashboard's home page; then each mistake a new user makes, answered so the page
 * (or the terminal) says what is wrong: a wrong `data-org`, a wrong endpoint path and a
 * disallowed origin each as a JSON reason the page can read, misspelled configuration keys
 * refused, `PUT /api/journeys/<unknown>` 404; and a second `npm start -- --host … --port …`
 * that finds the build current and starts at once.
 *
 * Install: the clone gets a copy of this checkout's node_modules (`cp -a`: the workspace links
 * are relative, so they point into the clone) and `npm install --offline` then finds it complete,
 * links the clone's own workspace bins and compiles nothing; better-sqlite3 is not built a second
 * time. `WAYMARK_FRESH_INSTALL=1` runs a full `npm install` instead.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../chromium';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../..', import.meta.url));
let tmp: string;
let clone: string;
let browser: Browser;
let collector: Started;
let other: Server;
let otherOrigin: string;

interface Started {
  child: ChildProcess;
  out: () => string;
  url: string;
  banner: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

/** `npm start -- <args>` in the clone, as a user types it; resolves once the banner is printed. */
async function npmStart(args: string[], timeoutMs: number): Promise<Started> {
  // its own process group, so that stop() reaches npm, its shell and the collector
  const child = spawn('npm', ['start', '--', ...args], { cwd: clone, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PORT: '' } });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner within ${timeoutMs / 1000} s:\n${out.slice(-3000)}`)), timeoutMs);
    child.stdout!.on('data', () => /\nPixel: /.test(out) && (clearTimeout(timer), resolve()));
    child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`npm start exited with ${code}:\n${out.slice(-3000)}`))));
  });
  const banner = out.slice(out.indexOf('Waymark collector listening'));
  const url = /here at (http:\/\/\S+?):? |listening on (http:\/\/\S+)/.exec(banner)!.slice(1).find(Boolean)!.replace(/:$/, '');
  return {
    child,
    out: () => out,
    url,
    banner,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      process.kill(-child.pid!, 'SIGTERM');
      await exited;
    },
  };
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'waymark-readme-'));
  clone = join(tmp, 'waymark');
  const head = (await run('git', ['rev-parse', 'HEAD'], { cwd: repo })).stdout.trim();
  try {
    await run('git', ['clone', '--quiet', '--no-checkout', repo, clone]);
    await run('git', ['checkout', '--quiet', '--detach', head], { cwd: clone });
  } catch {
    // a checkout git cannot clone from (e.g. a shallow one): the same committed files
    rmSync(clone, { recursive: true, force: true });
    mkdirSync(clone);
    await run('sh', ['-c', `git archive --format=tar ${head} | tar -x -C '${clone}'`], { cwd: repo });
  }
  if (process.env.WAYMARK_FRESH_INSTALL !== '1') {
    // not the checkout's build fingerprints and lock (node_modules/.cache): the clone builds on its own
    const cache = join(repo, 'node_modules', '.cache');
    cpSync(join(repo, 'node_modules'), join(clone, 'node_modules'), { recursive: true, verbatimSymlinks: true, filter: (src) => src !== cache });
  }
  await run('npm', ['install', '--no-audit', '--no-fund', ...(process.env.WAYMARK_FRESH_INSTALL === '1' ? [] : ['--offline'])], { cwd: clone, timeout: 600_000 });
  // the README: `npm start` (on a free port: tests never assume 8787 is free); it builds everything
  const [started, b] = await Promise.all([npmStart(['--port', String(await freePort())], 900_000), launchChromium()]);
  collector = started;
  browser = b;
  // a page on another origin, for what a page on the user's own site sees
  other = createServer((req, res) => {
    res.setHeader('content-type', 'text/html');
    res.end(`<!doctype html><title>shop</title><p>a page on another origin</p>`);
  });
  await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
  otherOrigin = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
}, 1_200_000);

afterAll(async () => {
  await collector?.stop();
  await browser?.close();
  await new Promise((r) => (other ? other.close(r) : r(undefined)));
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const apiKey = () => /org "demo" admin API key: (\S+)/.exec(collector.banner)![1]!;

/** The journey's numbers from the analytics API the dashboard reads. */
async function journeyFromApi(page: Page): Promise<{ sessions: number; completed_sessions: number }> {
  const res = await page.request.get(`${collector.url}/v1/admin/analytics/journeys/demo-journey?env=dev`, { headers: { 'X-API-Key': apiKey() } });
  expect(res.status()).toBe(200);
  return ((await res.json()) as { data: { sessions: number; completed_sessions: number } }).data;
}

/** POSTs a batch from a page on `origin` as the SDK does (text/plain, no preflight); what the page can read. */
async function postFrom(origin: string, endpoint: string, body: unknown): Promise<{ status: number; json: unknown } | { error: string }> {
  const page = await browser.newPage();
  try {
    await page.goto(origin);
    return await page.evaluate(
      async ([url, text]) => {
        try {
          const res = await fetch(url, { method: 'POST', body: text });
          return { status: res.status, json: await res.json() };
        } catch (e) {
          return { error: String(e) };
        }
      },
      [endpoint, JSON.stringify(body)] as const,
    );
  } finally {
    await page.close();
  }
}

const batch = (org: string) => ({
  schemaVersion: 1,
  context: { orgKey: org, journeyKey: 'demo-journey' },
  events: [{ _tag: 'session_start', schemaVersion: 1, id: `readme-${org}-${Date.now()}`, ts: new Date().toISOString(), orgKey: org, journeyKey: 'demo-journey', sessionId: 's-readme', clientId: 'c-readme', url: `${otherOrigin}/`, embedVersion: '1.0.0' }],
});

describe('the README path on a fresh clone', () => {
  it('npm start built everything, listens on 127.0.0.1 as printed, and prints the demo key with an SRI script tag', () => {
    expect(collector.out()).toMatch(/> build @waymark\/core[\s\S]*> build @waymark\/collector[\s\S]*> build @waymark\/example-react-app/);
    expect(collector.banner).toMatch(/^Waymark collector listening on http:\/\/127\.0\.0\.1:\d+\n/);
    expect(collector.banner).toMatch(/demo org created on this first start/);
    expect(collector.banner).toMatch(/<script src="http:\/\/127\.0\.0\.1:\d+\/embed\/v1\.[0-9a-f]{10}\.js" integrity="sha384-[\w+/=]{64}" crossorigin="anonymous" data-org="demo"/);
  });

  it('the examples index links every example; the CDN example, filled in, shows up in the dashboard', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(String(e)));
    // failed loads are reported by URL (the browser asks for /favicon.ico by itself)
    page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && problems.push(m.text()));
    page.on('response', (r) => r.status() >= 400 && !r.url().endsWith('/favicon.ico') && problems.push(`${r.status()} ${r.url()}`));
    await page.goto(`${collector.url}/`);
    await expect.poll(() => page.title()).toBe('Waymark examples');
    for (const name of ['CDN snippet', 'React app', 'Raw-URL pixel']) expect(await page.getByRole('link', { name }).count()).toBe(1);
    await page.getByRole('link', { name: 'CDN snippet' }).click();
    await page.waitForFunction(() => (window as { JourneyEmbed?: { version?: string } }).JourneyEmbed?.version);

    await page.selectOption('#org-type', 'Charity');
    await page.fill('#founded', '1999');
    await page.click('section[data-journey-step=eligibility] >> text=Next');
    await page.fill('#name', 'Ada');
    await page.fill('#email', 'ada@example.com');
    await page.click('section[data-journey-step=contact] >> text=Next');
    await page.fill('#summary', 'A community garden for the whole street');
    await page.fill('#amount', '4000');
    await page.click('text=Submit application');
    await page.waitForSelector('#done:not([hidden])');

    await expect.poll(async () => (await journeyFromApi(page)).completed_sessions, { timeout: 20_000, interval: 500 }).toBe(1);
    expect((await journeyFromApi(page)).sessions).toBe(1);
    // the dashboard's home page, signed in with the printed key, lists the journey with its session
    await page.goto(`${collector.url}/dashboard`);
    await page.fill('#api-key', apiKey());
    await page.click('#sign-in button[type=submit]');
    const row = page.locator('tr', { has: page.locator('a.entity', { hasText: 'demo-journey' }) });
    await row.locator('td').nth(1).locator('strong', { hasText: /^1$/ }).waitFor({ timeout: 15_000 });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('the React example is served from its build and runs', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(String(e)));
    // failed loads are reported by URL (the browser asks for /favicon.ico by itself)
    page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && problems.push(m.text()));
    page.on('response', (r) => r.status() >= 400 && !r.url().endsWith('/favicon.ico') && problems.push(`${r.status()} ${r.url()}`));
    await page.goto(`${collector.url}/examples/react-app/`);
    await page.getByRole('heading', { name: 'Acme grants' }).waitFor();
    expect(problems).toEqual([]);
    await page.close();
  });

  it('a wrong data-org, a wrong endpoint path and a disallowed origin each reach the page as a JSON reason', async () => {
    expect(await postFrom(otherOrigin, `${collector.url}/api/ingest`, batch('no-such-org'))).toMatchObject({
      status: 404,
      json: { error: { code: 'org_not_found', message: 'unknown org "no-such-org"' } },
    });
    expect(await postFrom(otherOrigin, `${collector.url}/api/ingst`, batch('demo'))).toMatchObject({ status: 404, json: { error: { code: 'not_found' } } });

    // the demo journey accepts only the collector's own origin from now on
    const put = await fetch(`${collector.url}/api/journeys/demo-journey`, {
      method: 'PUT',
      headers: { 'X-API-Key': apiKey(), 'content-type': 'application/json' },
      body: JSON.stringify({ allowedOrigins: [collector.url] }),
    });
    expect(put.status).toBe(200);
    expect(await postFrom(otherOrigin, `${collector.url}/api/ingest`, batch('demo'))).toMatchObject({
      status: 403,
      json: { error: { code: 'origin_not_allowed', message: `origin "${otherOrigin}" is not allowed for journey "demo-journey"` } },
    });

    // the embed on that page: its refused batches are answers it can read, not CORS errors
    const page = await browser.newPage();
    const console: string[] = [];
    page.on('console', (m) => console.push(m.text()));
    await page.goto(otherOrigin);
    await page.evaluate(
      ([src, endpoint]) =>
        new Promise<void>((resolve) => {
          const s = document.createElement('script');
          Object.assign(s.dataset, { org: 'no-such-org', journey: 'demo-journey', endpoint, debug: 'true' });
          s.src = src;
          s.onload = () => resolve();
          document.head.append(s);
        }),
      [`${collector.url}/embed/v1.js`, `${collector.url}/api/ingest`] as const,
    );
    await page.evaluate(() => (window as unknown as { JourneyEmbed: { flush(): Promise<void> } }).JourneyEmbed.flush());
    await expect.poll(() => console.some((l) => /404/.test(l)), { timeout: 10_000 }).toBe(true);
    expect(console.filter((l) => /CORS policy/.test(l))).toEqual([]);
    await page.close();
  });

  it('PUT /api/journeys/<unknown> answers 404', async () => {
    const res = await fetch(`${collector.url}/api/journeys/no-such-journey`, {
      method: 'PUT',
      headers: { 'X-API-Key': apiKey(), 'content-type': 'application/json' },
      body: JSON.stringify({ allowedOrigins: [] }),
    });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'journey_not_found' } });
  });

  it('misspelled configuration keys are refused by `npx waymark-collector`, with the key they meant', async () => {
    const bad = join(tmp, 'bad.json');
    writeFileSync(bad, JSON.stringify({ orgs: [{ key: 'acme', apiKeys: ['sk_live_0123456789abcdef'], journey: [{ key: 'signup', allowedOrigin: ['https://a.example'] }] }] }));
    const r = await run('npx', ['--no-install', 'waymark-collector', 'start', '--config', bad, '--port', '0'], { cwd: clone }).catch((e: { code: number; stderr: string }) => e);
    expect((r as { code: number }).code).toBe(1);
    expect((r as { stderr: string }).stderr).toContain('invalid configuration: orgs[0].journey: unknown key "journey" (did you mean "journeys"?)');
    writeFileSync(bad, JSON.stringify({ orgs: [{ key: 'acme', apiKeys: ['sk_live_0123456789abcdef'], journeys: [{ key: 'signup', allowedOrigin: ['https://a.example'] }] }] }));
    const r2 = await run('npx', ['--no-install', 'waymark-collector', 'start', '--config', bad, '--port', '0'], { cwd: clone }).catch((e: { stderr: string }) => e);
    expect((r2 as { stderr: string }).stderr).toContain('orgs[0].journeys[0].allowedOrigin: unknown key "allowedOrigin" (did you mean "allowedOrigins"?)');
  });

  it('a second `npm start -- --host 0.0.0.0 --port N` finds the build current and starts at once', async () => {
    await collector.stop();
    const port = await freePort();
    const started = Date.now();
    collector = await npmStart(['--host', '0.0.0.0', '--port', String(port)], 60_000);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(collector.out()).toContain('build is current');
    expect(collector.out()).not.toContain('> build @waymark/');
    expect(collector.banner).toContain(`listening on every interface (0.0.0.0 port ${port}), here at http://127.0.0.1:${port}`);
    expect(collector.banner).not.toMatch(/sk_live_/); // not the start that created the key
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    expect(existsSync(join(clone, '.waymark-data', 'waymark.config.json'))).toBe(true);
  });
});
