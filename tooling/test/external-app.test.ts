/**
 * The packages as a user's project gets them: every publishable workspace packed with `npm pack`,
 * the tarballs installed into an app in a temporary directory outside this repository (no
 * workspace links, no tsconfig paths), the app type-checked, bundled with Vite (a browser page)
 * and with esbuild (a server-rendered React page and its hydration), run in Chromium against a
 * real collector, and a CommonJS and an ES module Node script sending through `@waymark/node`.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build as esbuild } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { build as vite } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCollector, type TestCollector } from '../../collector/src/testing';
import { launchChromium } from '../chromium';
// @ts-expect-error: a plain ES module of the repository's tooling, without declarations
import { buildAll } from '../build-all.mjs';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../..', import.meta.url));
const template = fileURLToPath(new URL('../external-app', import.meta.url));
const PACKAGES = ['@waymark/core', '@waymark/browser', '@waymark/react', '@waymark/node', '@waymark/collector'];
const rootPkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };

let tmp: string;
let app: string;
let site: string;
let tarballs: Record<string, string>;
let collector: TestCollector;
let browser: Browser;

const phase = (what: string, since: number) => console.log(`external app: ${what} in ${((Date.now() - since) / 1000).toFixed(1)} s`);

beforeAll(async () => {
  let t = Date.now();
  buildAll({ log: () => {} });
  phase('build checked', t);
  t = Date.now();
  tmp = mkdtempSync(join(tmpdir(), 'waymark-external-'));
  app = join(tmp, 'app');
  site = join(tmp, 'site');
  mkdirSync(join(tmp, 'tarballs'));
  const packed = await run('npm', ['pack', '--json', '--pack-destination', join(tmp, 'tarballs'), ...PACKAGES.flatMap((p) => ['-w', p])], {
    cwd: repo,
    maxBuffer: 64 * 1024 * 1024,
  });
  const list = JSON.parse(packed.stdout) as { name: string; filename: string; files: { path: string }[] }[];
  tarballs = Object.fromEntries(list.map((p) => [p.name, join(tmp, 'tarballs', p.filename)]));
  (globalThis as { packedFiles?: unknown }).packedFiles = Object.fromEntries(list.map((p) => [p.name, p.files.map((f) => f.path)]));

  phase('packed', t);
  t = Date.now();
  cpSync(template, app, { recursive: true });
  // the collector's tarball is packed and checked below, not installed: its SQLite driver would
  // compile from source; the app talks to a collector started from this repository
  const deps: Record<string, string> = {};
  for (const name of PACKAGES.filter((p) => p !== '@waymark/collector')) deps[name] = `file:${relative(app, tarballs[name]!)}`;
  for (const name of ['react', 'react-dom', '@types/react', '@types/react-dom']) deps[name] = rootPkg.devDependencies[name]!;
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'external-app', private: true, type: 'module', dependencies: deps }, null, 2));
  // the registry packages come from npm's cache, filled by the repository's own install
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: app, timeout: 240_000 });
  phase('installed', t);
  t = Date.now();

  mkdirSync(join(site, 'ssr'), { recursive: true });
  [collector, browser] = await Promise.all([
    startTestCollector({
      config: { orgs: [{ key: 'demo', apiKeys: ['sk_test_external_app_0123456789'], journeys: [{ key: 'demo-journey' }] }], logLevel: 'silent' },
      staticPaths: { examplesDir: site },
    }),
    launchChromium(),
  ]);
  phase('collector and Chromium started', t);
}, 420_000);

afterAll(async () => {
  await browser?.close();
  await collector?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

async function storedEvents(filter: (e: Record<string, unknown>) => boolean, count = 1): Promise<Record<string, unknown>[]> {
  const until = Date.now() + 15_000;
  for (;;) {
    const events = (await collector.store.listEvents({ orgKey: 'demo', limit: 1000 })).map((e) => JSON.parse(e.json) as Record<string, unknown>).filter(filter);
    if (events.length >= count || Date.now() > until) return events;
    await new Promise((r) => setTimeout(r, 150));
  }
}

async function open(path: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage();
  const problems: string[] = [];
  // failed loads are reported by URL below (the browser asks for /favicon.ico by itself)
  page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('response', (r) => r.status() >= 400 && !r.url().endsWith('/favicon.ico') && problems.push(`${r.status()} ${r.url()}`));
  await page.goto(`${collector.url}${path}`);
  return { page, problems };
}

describe('the packed packages, installed outside the repository', () => {
  it('npm pack holds what each package needs, and nothing of the repository', () => {
    const files = (globalThis as { packedFiles?: Record<string, string[]> }).packedFiles!;
    for (const name of PACKAGES) {
      expect(files[name], name).toContain('package.json');
      expect(files[name]!.some((f) => f.startsWith('src/') || f.startsWith('test/')), name).toBe(false);
    }
    expect(files['@waymark/browser']).toEqual(expect.arrayContaining(['dist/embed.js', 'dist/embed.js.br', 'dist/embed.js.gz', 'dist/index.js', 'dist/index.cjs']));
    expect(files['@waymark/collector']).toEqual(expect.arrayContaining(['bin/waymark-collector.js', 'dist/cli.js', 'dist/index.js']));
  });

  it('installs every @waymark package from its tarball, as a real directory', () => {
    const lock = JSON.parse(readFileSync(join(app, 'package-lock.json'), 'utf8')) as { packages: Record<string, { resolved?: string; version?: string }> };
    for (const name of PACKAGES.filter((p) => p !== '@waymark/collector')) {
      const dir = join(app, 'node_modules', name);
      expect(lstatSync(dir).isSymbolicLink(), `${name} is a link`).toBe(false);
      expect(existsSync(join(dir, 'src')), `${name} ships its sources`).toBe(false);
      expect(lock.packages[`node_modules/${name}`]?.resolved, name).toMatch(/^file:.*\.tgz$/);
    }
    // one copy of each: nothing nested under another package
    const nested = readdirSync(join(app, 'node_modules', '@waymark')).flatMap((p) =>
      existsSync(join(app, 'node_modules', '@waymark', p, 'node_modules')) ? [p] : [],
    );
    expect(nested).toEqual([]);
  });

  it('type-checks against the published declarations', async () => {
    const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
    await expect(run(process.execPath, [tsc, '-p', join(app, 'tsconfig.json')], { cwd: app })).resolves.toBeDefined();
  }, 120_000);

  it('a page bundled with Vite: one tracker for the hooks and the SDK, events delivered', async () => {
    await vite({
      root: join(app, 'browser'),
      configFile: false,
      logLevel: 'warn',
      base: './',
      build: { outDir: join(site, 'vite'), emptyOutDir: true },
    });
    const bundle = readdirSync(join(site, 'vite', 'assets')).map((f) => readFileSync(join(site, 'vite', 'assets', f), 'utf8')).join('\n');
    expect(bundle).not.toContain('packages/browser/src');

    const { page, problems } = await open('/examples/vite/');
    type Probe = { __external?: { sameTracker: boolean; version: string } };
    await page.waitForFunction(() => (window as unknown as Probe).__external !== undefined);
    const probe = await page.evaluate(() => (window as unknown as Probe).__external!);
    expect(probe.sameTracker).toBe(true);
    expect(probe.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(await storedEvents((e) => e._tag === 'external_vite_ready')).toHaveLength(1);
    expect((await storedEvents((e) => e._tag === 'step_view' && e.stepKey === 'vite-page')).length).toBe(1);
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);

  it('a React page rendered on the server and hydrated, bundled with esbuild', async () => {
    const server = await esbuild({
      entryPoints: [join(app, 'ssr', 'server.tsx')],
      outfile: join(app, 'ssr-dist', 'server.mjs'),
      bundle: true,
      platform: 'node',
      format: 'esm',
      jsx: 'automatic',
      packages: 'external', // Node resolves @waymark/react and react from the app's node_modules
      logLevel: 'warning',
    });
    expect(server.errors).toEqual([]);
    const client = await esbuild({
      entryPoints: [join(app, 'ssr', 'client.tsx')],
      absWorkingDir: app,
      outfile: join(site, 'ssr', 'client.js'),
      bundle: true,
      platform: 'browser',
      format: 'esm',
      jsx: 'automatic',
      minify: true,
      define: { 'process.env.NODE_ENV': '"production"' },
      metafile: true,
      logLevel: 'warning',
    });
    // every module of the Waymark packages comes from their installed builds, once
    const inputs = Object.keys(client.metafile!.inputs).filter((f) => f.includes('@waymark/'));
    expect(inputs.length).toBeGreaterThan(0);
    for (const f of inputs) expect(f).toMatch(/^node_modules\/@waymark\/(core|browser|react)\/dist\/[\w-]+\.js$/);

    const before = (await storedEvents(() => true, 0)).length;
    const { stdout: html } = await run(process.execPath, [join(app, 'ssr-dist', 'server.mjs'), '/api/ingest'], { cwd: app });
    expect(html).toContain('<p id="status">rendered on the server</p>');
    writeFileSync(join(site, 'ssr', 'index.html'), html);
    expect((await storedEvents(() => true, 0)).length).toBe(before); // the server render recorded nothing

    const { page, problems } = await open('/examples/ssr/');
    await page.waitForFunction(() => (window as unknown as { __external?: unknown }).__external !== undefined);
    expect(await page.evaluate(() => (window as unknown as { __external: unknown }).__external)).toEqual({ sameTracker: true, hydrated: true });
    await expect.poll(() => page.textContent('#status')).toBe('tracking');
    expect(await storedEvents((e) => e._tag === 'external_ssr_hydrated')).toHaveLength(1);
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);

  it.each([
    ['track.cjs', 'cjs', 'external-cjs'],
    ['track.mjs', 'esm', 'external-esm'],
  ])('node %s (%s) delivers through @waymark/node', async (script, format, clientId) => {
    const { stdout } = await run(process.execPath, [join(app, 'node', script)], {
      cwd: app,
      env: { ...process.env, ENDPOINT: `${collector.url}/api/ingest` },
      timeout: 30_000,
    });
    const out = JSON.parse(stdout.trim().split('\n').pop()!) as { format: string; version: string; pixel: string; shutdown: unknown };
    expect(out).toMatchObject({ format, pixel: 'function', shutdown: { pending: 0 } });
    expect(out.version).toMatch(/^\d+\.\d+\.\d+/);
    const events = await storedEvents((e) => e.clientId === clientId, 2);
    expect(events.map((e) => e._tag).sort()).toEqual(['session_start', 'step_view']);
  }, 60_000);
});
