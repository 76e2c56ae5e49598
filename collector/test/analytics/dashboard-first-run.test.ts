/**
 * A new user's first minutes, in real Chromium: the built collector CLI started as `npm start`
 * starts it (fresh data directory, so it creates the demo org and prints its key in the banner),
 * the CDN example page filled in as a person would, then the dashboard opened with only the
 * printed key. Without touching any other setting, the home page lists the example's journey
 * with its session within 10 s (the example sends to `dev`; the dashboard lands where the data is).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../tooling/chromium';

// waymark-test-store: sqlite-only (the README path: the embedded default store)
const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
let child: ChildProcess | undefined;
let browser: Browser;
let dir: string;
let out = '';

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error('the collector is not built: run `npm run build` first (npm test does)');
  dir = mkdtempSync(join(tmpdir(), 'wm-first-run-'));
  // what `npm start` runs once the build is done: the built CLI's `start`, here on a free port
  child = spawn(process.execPath, [CLI, 'start', '--port', '0', '--host', '127.0.0.1'], {
    cwd: dir,
    env: { ...process.env, WAYMARK_DATA_DIR: join(dir, '.waymark-data'), WAYMARK_CONFIG: '', DATABASE_URL: '', REDIS_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner in 30 s:\n${out}`)), 30_000);
    child!.stdout!.on('data', () => /sk_live_[\w-]+/.test(out) && /https?:\/\/[\w.:-]+:\d+/.test(out) && (clearTimeout(timer), resolve()));
    child!.once('exit', (code) => (clearTimeout(timer), reject(new Error(`the collector exited with ${code}:\n${out}`))));
  });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (child && child.exitCode === null) {
    const done = new Promise((r) => child!.once('exit', r));
    child.kill('SIGTERM');
    await done;
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('first run, as the README says', () => {
  it('fills in the CDN example, then finds its journey and session on the dashboard home within 10 s using only the printed key', async () => {
    const url = /listening on (https?:\/\/[\w.:-]+:\d+)/.exec(out)?.[1] ?? /(https?:\/\/[\w.:-]+:\d+)/.exec(out)![1]!;
    const key = /(sk_live_[\w-]+)/.exec(out)![1]!;
    const journey = /data-journey="([\w.:-]+)"/.exec(out)?.[1] ?? 'demo-journey';

    const example = await browser.newPage();
    await example.goto(`${url}/examples/cdn-snippet/`);
    await example.selectOption('#org-type', 'Charity');
    await example.fill('#founded', '1999');
    await example.click('[data-journey-step=eligibility] [data-next]');
    await example.fill('#name', 'Ada Lovelace');
    await example.fill('#email', 'ada@example.com');
    await example.click('[data-journey-step=contact] [data-next]');
    await example.fill('#summary', 'A community garden for the whole street.');
    await example.fill('#amount', '1500');
    await example.click('button[type=submit]');
    await example.waitForSelector('#done:not([hidden])');

    const dash = await browser.newPage();
    const problems: string[] = [];
    dash.on('pageerror', (e) => problems.push(String(e)));
    await dash.goto(`${url}/dashboard`);
    await dash.fill('#api-key', key);
    const signedIn = Date.now();
    await dash.click('#sign-in button[type=submit]');
    const row = dash.locator('tr', { has: dash.locator('a.entity', { hasText: journey }) });
    // the journey with its one session (the dashboard refreshes on its own every few seconds)
    await row.locator('td').nth(1).locator('strong', { hasText: /^1$/ }).waitFor({ timeout: 10_000 });
    expect(Date.now() - signedIn).toBeLessThan(10_000);
    expect(dash.url()).toContain('env=dev');
    expect(await dash.locator('[aria-pressed=true][data-env=dev]').count()).toBe(1);
    expect(problems).toEqual([]);
  }, 60_000);
});
