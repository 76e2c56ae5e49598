/**
 * Test harness of the example: builds the app from the workspace sources with Vite into a
 * temporary directory (so it never depends on stale package builds and never races `npm run
 * build` writing dist/), serves it from a real collector, and drives the Debian Chromium.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { startTestCollector, type TestCollector } from '../../../collector/src/testing';

const app = fileURLToPath(new URL('..', import.meta.url));
const repo = join(app, '../..');

/** API key of the demo org in the test collector. */
export const DEMO_KEY = 'sk_test_demo_react_app_0123456789';

/**
 * Builds the app into `<tmp>/react-app/` and returns `<tmp>`, to serve as the examples directory.
 * A development build: React's StrictMode then double-invokes effects in Chromium too, and
 * React's warnings reach the console, where the tests look for them.
 */
export async function buildApp(): Promise<{ examplesDir: string; remove(): void }> {
  const examplesDir = mkdtempSync(join(tmpdir(), 'waymark-react-app-'));
  await build({
    root: app,
    configFile: join(app, 'vite.config.ts'),
    logLevel: 'warn',
    mode: 'development',
    define: { 'process.env.NODE_ENV': JSON.stringify('development') },
    build: { outDir: join(examplesDir, 'react-app'), emptyOutDir: true },
    // the workspace packages from source, like vitest.config.ts does
    resolve: {
      alias: [
        { find: /^@waymark\/(core|browser|react)$/, replacement: `${repo}/packages/$1/src/index.ts` },
        { find: /^@waymark\/(core|browser|react)\/(.+)$/, replacement: `${repo}/packages/$1/src/$2.ts` },
      ],
    },
  });
  return { examplesDir, remove: () => rmSync(examplesDir, { recursive: true, force: true }) };
}

/** A collector with the demo org and journey of the example, serving the built app. */
export function startCollector(examplesDir: string): Promise<TestCollector> {
  return startTestCollector({
    config: {
      orgs: [
        {
          key: 'demo',
          apiKeys: [DEMO_KEY],
          rateLimit: { requests: 100_000, perSeconds: 3600 },
          journeys: [{ key: 'demo-journey' }],
        },
      ],
      logLevel: 'silent',
    },
    staticPaths: { examplesDir },
  });
}

export { launchChromium as launch } from '../../../tooling/chromium';

/** GET an admin API path with the demo org's key; throws on a non-2xx answer. */
export async function admin<T>(c: TestCollector, path: string): Promise<T> {
  const res = await fetch(`${c.url}/v1/admin${path}`, { headers: { 'X-API-Key': DEMO_KEY } });
  const text = await res.text();
  if (!res.ok) throw new Error(`GET ${path} answered ${res.status}: ${text}`);
  return (path.includes('/export') ? text : JSON.parse(text)) as T;
}

/**
 * Polls `check` until it returns a value (not undefined); fails after `ms` with `what` was awaited.
 * The cap is generous: on a loaded 2-core machine a page's beacon can take seconds to arrive.
 */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`waited ${ms} ms for ${what}, in vain`);
    await new Promise((r) => setTimeout(r, 150));
  }
}
