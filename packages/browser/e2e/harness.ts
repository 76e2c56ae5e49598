/**
 * Real-browser test harness: builds the embed when it is missing or stale, serves real pages with
 * the script tag from a local HTTP server that records every request it receives, and drives
 * the Debian Chromium through playwright-core.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../../tooling/chromium';
import { afterAll, beforeAll, vi } from 'vitest';

const pkg = fileURLToPath(new URL('..', import.meta.url));
export const EMBED = join(pkg, 'dist/embed.js');
/** the embed's web-vitals add-on, served at /embed/v1/vitals.js */
export const EMBED_VITALS = join(pkg, 'dist/embed-vitals.js');

const newest = (dir: string): number =>
  readdirSync(dir, { withFileTypes: true }).reduce((m, e) => {
    const p = join(dir, e.name);
    return Math.max(m, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }, 0);

const stale = () =>
  [EMBED, EMBED_VITALS].some(
    (f) =>
      !existsSync(f) ||
      statSync(f).mtimeMs < Math.max(newest(join(pkg, 'src')), newest(join(pkg, '../core/src')), statSync(join(pkg, 'rollup.config.mjs')).mtimeMs),
  );

/** Builds dist/embed.js and its vitals add-on when missing or older than their sources (`npm test` builds first, so usually a no-op). */
export async function ensureEmbed(): Promise<void> {
  if (!stale()) return;
  const lock = join(pkg, '.e2e-build.lock');
  // several e2e files start at once: one builds, the others wait for it
  for (let i = 0; ; i++) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // a lock left by a killed run: no build takes 3 minutes
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 180_000) rmSync(lock, { recursive: true, force: true });
      if (i > 1000) throw new Error(`waited 200 s for ${lock}; remove it if no build is running`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    if (!stale()) return;
    const r = spawnSync('npm', ['run', 'build', '-w', '@waymark/browser'], {
      cwd: join(pkg, '../..'),
      env: { ...process.env, EMBED_ONLY: '1' },
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`building the embed failed:\n${r.stdout}\n${r.stderr}`);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Chromium with the team's flags (tooling/chromium.ts). */
export const launch = launchChromium;

/** One request as the server saw it. */
export interface Recorded {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** status the server answered */
  status: number;
}

export interface TestServer {
  url: string;
  port: number;
  /** every request, in arrival order */
  requests: Recorded[];
  /** POSTs to /api/ingest */
  ingests(): Recorded[];
  /** parsed bodies of the ingests answered with 2xx */
  delivered(): { context: Record<string, unknown>; events: Record<string, any>[] }[];
  /** events of the delivered batches, deduplicated by id (as the collector counts them) */
  events(): Record<string, any>[];
  /** status answered to /api/ingest (default 204) */
  ingestStatus: number;
  /** serves `html` at `path` */
  page(path: string, html: string): void;
  /** delays the embed script by this many ms (to let a page queue calls first) */
  embedDelayMs: number;
  /** waits until `pred` holds, polling */
  until(pred: () => boolean, what: string, ms?: number): Promise<void>;
  stop(): Promise<void>;
  /** listens again on the same port after `stop()` */
  restart(): Promise<void>;
}

/** A page with the embed's script tag; `attrs` override the data-* attributes. */
export function embedPage(o: { attrs?: Record<string, string>; head?: string; body?: string; title?: string } = {}): string {
  const attrs = { 'data-org': 'acme', 'data-journey': 'signup', 'data-endpoint': '/api/ingest', ...o.attrs };
  const a = Object.entries(attrs)
    .map(([k, v]) => `${k}="${v}"`)
    .join(' ');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${o.title ?? 'Waymark e2e'}</title>${o.head ?? ''}
<script src="/embed/v1.js" ${a} async></script></head><body>${o.body ?? ''}</body></html>`;
}

export async function startServer(): Promise<TestServer> {
  const pages = new Map<string, string>();
  const sockets = new Set<import('node:net').Socket>();
  const s: TestServer = {
    url: '',
    port: 0,
    requests: [],
    ingestStatus: 204,
    embedDelayMs: 0,
    ingests: () => s.requests.filter((r) => r.method === 'POST' && r.url.startsWith('/api/ingest')),
    delivered: () => s.ingests().filter((r) => r.status < 300).map((r) => JSON.parse(r.body)),
    events: () => {
      const seen = new Map<string, Record<string, any>>();
      for (const b of s.delivered()) for (const e of b.events) if (!seen.has(e.id)) seen.set(e.id, e);
      return [...seen.values()];
    },
    page: (path, html) => void pages.set(path, html),
    async until(pred, what, ms = 20_000) {
      const end = Date.now() + ms;
      while (!pred()) {
        if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    stop: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        for (const so of sockets) so.destroy();
      }),
    restart: () => new Promise<void>((r) => server.listen(s.port, '127.0.0.1', () => r())),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const rec: Recorded = { method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status: 200 };
      s.requests.push(rec);
      const path = req.url!.split('?')[0]!;
      const send = (status: number, type?: string, body?: string | Buffer) => {
        rec.status = status;
        res.writeHead(status, type ? { 'content-type': type } : {});
        res.end(body);
      };
      if (req.method === 'POST' && path === '/api/ingest') {
        if (s.ingestStatus === 503) res.setHeader('retry-after', '1');
        return send(s.ingestStatus);
      }
      if (path === '/embed/v1.js') {
        return setTimeout(() => send(200, 'text/javascript', readFileSync(EMBED)), s.embedDelayMs);
      }
      if (path === '/embed/v1/vitals.js') {
        return send(200, 'text/javascript', readFileSync(EMBED_VITALS));
      }
      const html = pages.get(path);
      if (html) return send(200, 'text/html; charset=utf-8', html);
      send(404, 'text/plain', 'not found');
    });
  });
  server.on('connection', (so) => {
    sockets.add(so);
    so.on('close', () => sockets.delete(so));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  s.port = (server.address() as AddressInfo).port;
  s.url = `http://127.0.0.1:${s.port}`;
  return s;
}

/** Event ids of every batch in the page's IndexedDB retry queue (database `waymark`, store `queue`). */
export const queuedIds = (page: import('playwright-core').Page): Promise<string[]> =>
  page.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const r = indexedDB.open('waymark');
        r.onerror = () => reject(r.error);
        r.onsuccess = () => {
          const db = r.result;
          if (!db.objectStoreNames.contains('queue')) return db.close(), resolve([]);
          const g = db.transaction('queue').objectStore('queue').getAll();
          g.onsuccess = () => {
            db.close();
            resolve(g.result.flatMap((b: { body: string }) => JSON.parse(b.body).events.map((e: { id: string }) => e.id)));
          };
        };
      }),
  );

/** The loader snippet as the README documents it: queues calls until the embed has loaded. */
export const LOADER_SNIPPET = readFileSync(join(pkg, 'README.md'), 'utf8').match(/<script>!function\(w,j\).*?<\/script>/)![0];

/** The file's Chromium and recording server, set by {@link useE2E} before its tests run (live bindings). */
export let browser: Browser;
export let server: TestServer;

/**
 * The setup every end-to-end file shares: builds the embed if needed, launches Chromium, starts
 * the recording server with `pages` (path → HTML), and closes both after the file's tests.
 */
export function useE2E(pages: Record<string, string> = {}): void {
  // real Chromium on a shared 2-core machine: generous, but bounded; the hook may build the embed
  vi.setConfig({ testTimeout: 60_000, hookTimeout: 240_000 });
  beforeAll(async () => {
    await ensureEmbed();
    [browser, server] = await Promise.all([launch(), startServer()]);
    for (const [path, html] of Object.entries(pages)) server.page(path, html);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });
}
