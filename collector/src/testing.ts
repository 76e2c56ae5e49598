/**
 * `@waymark/collector/testing`: start a real collector (real HTTP, real SQLite in a temporary
 * directory) for tests of the SDKs and the collector itself.
 * @example
 * const c = await startTestCollector();
 * await fetch(`${c.url}/api/ingest`, { method: 'POST', body: JSON.stringify(batch) });
 * expect(await c.store.countEvents()).toBe(2);
 * await c.stop();
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { createCollector, type Collector, type CollectorOptions } from './app';
import type { ConfigInput } from './config/schema';
import { startServer } from './server';
import { dropTestStore, testStoreFor } from './store/postgres/testing';
import type { Store } from './store/types';

/** API key of the default test org. */
export const TEST_API_KEY = 'sk_test_0123456789abcdef';
/** The default configuration: org `test-org` (journeys `test-journey`, `grant-application`; site `test.site`) and `your-org-slug` (site `pixel.example.com`). */
export const TEST_CONFIG: ConfigInput = {
  orgs: [
    {
      key: 'test-org',
      apiKeys: [TEST_API_KEY],
      rateLimit: { requests: 1_000_000, perSeconds: 3600 },
      journeys: [{ key: 'test-journey' }, { key: 'grant-application' }],
      sites: ['test.site'],
    },
    {
      key: 'your-org-slug',
      apiKeys: ['sk_test_seed_org_0123456789'],
      rateLimit: { requests: 1_000_000, perSeconds: 3600 },
      journeys: [{ key: 'grant-application' }],
      sites: ['pixel.example.com'],
    },
  ],
  logLevel: 'silent',
};

export interface TestCollectorOptions extends Omit<CollectorOptions, 'config' | 'dataDir'> {
  /** configuration (default {@link TEST_CONFIG}) */
  config?: ConfigInput;
  /** keep the temporary data directory after stop (default false) */
  keepData?: boolean;
  /** a data directory to reuse (e.g. to restart on the same store); default a new temp dir */
  dataDir?: string;
}

export interface TestCollector {
  /** base URL, e.g. `http://127.0.0.1:41234` */
  url: string;
  collector: Collector;
  store: Store;
  dataDir: string;
  /** waits until every committed event is counted (outbox empty) */
  drain(): Promise<void>;
  /** graceful stop; removes the temporary directory unless `keepData` */
  stop(): Promise<void>;
}

/** Starts a collector listening on 127.0.0.1 on a free port, with SQLite in a temp directory. */
export async function startTestCollector(opts: TestCollectorOptions = {}): Promise<TestCollector> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'waymark-collector-'));
  const config = opts.config ?? TEST_CONFIG;
  const logger: Logger = opts.logger ?? pino({ level: (config as { logLevel?: string }).logLevel ?? 'silent' });
  // WAYMARK_TEST_STORE=postgres: the same tests on PostgreSQL, one schema per data directory
  const store = opts.store ?? (await testStoreFor(dataDir));
  const collector = await createCollector({ scheduleRetention: false, ...opts, ...(store ? { store } : {}), config, dataDir, logger });
  const running = await startServer(collector, { port: 0, host: '127.0.0.1' });
  return {
    url: running.url,
    collector,
    store: collector.store,
    dataDir,
    drain: () => collector.processor.drain(),
    async stop() {
      await running.stop();
      if (!opts.keepData && !opts.dataDir) {
        rmSync(dataDir, { recursive: true, force: true });
        if (!opts.store) await dropTestStore(dataDir);
      }
    },
  };
}
