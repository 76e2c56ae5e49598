/**
 * The real collector (`@waymark/collector/testing`), started in the test process on 127.0.0.1
 * with a temporary SQLite store, plus a restart on the same data directory and port to
 * simulate an outage (the tracker's endpoint must stay the same).
 */
import { rmSync } from 'node:fs';
import { createCollector, startServer } from '@waymark/collector';
import { startTestCollector } from '@waymark/collector/testing';

export const ORG = 'acme';
export const JOURNEY = 'signup';
export const SITE = 'pixel.example.com';
export const API_KEY = 'test-api-key-0123456789abcdef';

const CONFIG = {
  orgs: [{ key: ORG, apiKeys: [API_KEY], journeys: [{ key: JOURNEY }], sites: [SITE], rateLimit: { requests: 1_000_000, perSeconds: 3600 } }],
  logLevel: 'silent' as const,
};

export interface StoredRow {
  eventId: string;
  type: string;
  sessionId: string;
  clientId: string;
  event: Record<string, unknown>;
}

export interface TestCollector {
  url: string;
  port: number;
  dataDir: string;
  ingestUrl: string;
  /** every stored event id of the org, in arrival order */
  eventIds(): Promise<string[]>;
  /** every stored event of the org, in arrival order */
  events(): Promise<StoredRow[]>;
  stop(): Promise<void>;
  /** stops and removes the data directory */
  destroy(): Promise<void>;
}

type Store = Awaited<ReturnType<typeof createCollector>>['store'];

function wrap(url: string, dataDir: string, store: Store, stopServer: () => Promise<void>): TestCollector {
  let stopped: Promise<void> | undefined;
  const stop = () => (stopped ??= stopServer());
  const rows = () => store.listEvents({ orgKey: ORG, limit: 1_000_000 });
  return {
    url,
    port: Number(new URL(url).port),
    dataDir,
    ingestUrl: `${url}/api/ingest`,
    eventIds: async () => (await rows()).map((r) => r.eventId),
    events: async () =>
      (await rows()).map(({ eventId, type, sessionId, clientId, json }) => ({ eventId, type, sessionId, clientId, event: JSON.parse(json) as Record<string, unknown> })),
    stop,
    async destroy() {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Starts the real collector. With `dataDir` and `port`, restarts one that was stopped: same
 * SQLite file, same address (startTestCollector always picks a new port, so this path uses the
 * collector's own createCollector + startServer, which is what startTestCollector wraps).
 */
export async function startCollector(opts: { dataDir?: string; port?: number } = {}): Promise<TestCollector> {
  if (opts.port !== undefined && opts.dataDir) {
    const collector = await createCollector({ config: CONFIG, dataDir: opts.dataDir, scheduleRetention: false });
    const server = await startServer(collector, { port: opts.port, host: '127.0.0.1' });
    return wrap(`http://127.0.0.1:${server.port}`, opts.dataDir, collector.store, () => server.stop());
  }
  const c = await startTestCollector({ config: CONFIG, keepData: true, ...(opts.dataDir ? { dataDir: opts.dataDir } : {}) });
  return wrap(c.url, c.dataDir, c.store, () => c.stop());
}
