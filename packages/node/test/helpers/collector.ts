/**
 * The real collector, started in the test process on 127.0.0.1 with a temporary SQLite store.
 * Restartable on the same data directory and port, to simulate an outage.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCollector, startServer } from '@waymark/collector';

export const ORG = 'acme';
export const JOURNEY = 'signup';
export const SITE = 'test.opentracker.net';
export const API_KEY = 'test-api-key-0123456789abcdef';

export interface TestCollector {
  url: string;
  port: number;
  dataDir: string;
  ingestUrl: string;
  /** every stored event id of the org, in arrival order */
  eventIds(): Promise<string[]>;
  /** every stored event of the org, in arrival order */
  events(): Promise<{ eventId: string; type: string; sessionId: string; clientId: string; event: Record<string, unknown> }[]>;
  stop(): Promise<void>;
  /** stops and removes the data directory */
  destroy(): Promise<void>;
}

export async function startCollector(opts: { dataDir?: string; port?: number } = {}): Promise<TestCollector> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'wm-node-collector-'));
  const collector = await createCollector({
    config: {
      orgs: [
        {
          key: ORG,
          apiKeys: [API_KEY],
          journeys: [{ key: JOURNEY }],
          sites: [SITE],
          rateLimit: { requests: 1_000_000, perSeconds: 3600 },
        },
      ],
      logLevel: 'silent',
    },
    dataDir,
    scheduleRetention: false,
  });
  const server = await startServer(collector, { port: opts.port ?? 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${server.port}`;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await server.stop();
  };
  return {
    url,
    port: server.port,
    dataDir,
    ingestUrl: `${url}/api/ingest`,
    async eventIds() {
      const rows = await collector.store.listEvents({ orgKey: ORG, limit: 1_000_000 });
      return rows.map((r) => r.eventId);
    },
    async events() {
      const rows = await collector.store.listEvents({ orgKey: ORG, limit: 1_000_000 });
      return rows.map(({ eventId, type, sessionId, clientId, json }) => ({ eventId, type, sessionId, clientId, event: JSON.parse(json) as Record<string, unknown> }));
    },
    stop,
    async destroy() {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
