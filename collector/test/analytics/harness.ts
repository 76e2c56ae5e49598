/**
 * Test harness of the analytics tests: a real collector (Express app + SQLite file store in a
 * temp dir) listening on 127.0.0.1:0, with helpers to post batches and call the admin API.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { pino } from 'pino';
import { createCollector, type Collector } from '../../src/app';
import type { ConfigInput } from '../../src/config/schema';
import { dropTestStore, testStoreFor } from '../../src/store/postgres/testing';

export const ORG = 'acme';
export const API_KEY = 'sk_live_analytics_test_0001';
export const OTHER_KEY = 'sk_live_other_org_key_0002';

export interface Harness {
  url: string;
  collector: Collector;
  /** POSTs one batch to `/v1/sdk/events`; resolves to the status */
  post(events: object[], opts?: { env?: string; path?: string }): Promise<number>;
  /** GET on the admin API with the org's key; resolves to status + parsed JSON (or text) */
  admin(path: string, init?: { key?: string | null; method?: string; headers?: Record<string, string> }): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

export function baseConfig(extra: Partial<ConfigInput> = {}): ConfigInput {
  return {
    logLevel: 'silent',
    orgs: [
      { key: ORG, apiKeys: [API_KEY], rateLimit: { requests: 1_000_000, perSeconds: 3600 }, journeys: [{ key: 'signup' }, { key: 'grant' }] },
      { key: 'other', apiKeys: [OTHER_KEY] },
    ],
    ...extra,
  };
}

export async function startHarness(opts: { config?: ConfigInput; now?: () => number } = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'wm-analytics-'));
  const store = await testStoreFor(dir); // WAYMARK_TEST_STORE=postgres: PostgreSQL instead of SQLite
  const collector = await createCollector({
    config: opts.config ?? baseConfig(),
    dataDir: dir,
    ...(store ? { store } : {}),
    logger: pino({ level: 'silent' }),
    scheduleRetention: false,
    now: opts.now,
  });
  const server: Server = await new Promise((resolve) => {
    const s = collector.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  // a loaded CI machine can be slower than Node's 5 s keep-alive default: avoid reset races
  server.keepAliveTimeout = 60_000;
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    collector,
    async post(events, o = {}) {
      const r = await fetch(url + (o.path ?? '/v1/sdk/events'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ schemaVersion: 1, context: { orgKey: ORG, env: o.env ?? 'prod' }, events }),
      });
      await r.arrayBuffer();
      return r.status;
    },
    async admin(path, init = {}) {
      const headers: Record<string, string> = { ...init.headers };
      if (init.key !== null) headers['x-api-key'] = init.key ?? API_KEY;
      const r = await fetch(`${url}/v1/admin${path}`, { method: init.method ?? 'GET', headers });
      const text = await r.text();
      let body: unknown = text;
      if ((r.headers.get('content-type') ?? '').includes('application/json')) body = JSON.parse(text);
      return { status: r.status, body, headers: r.headers };
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await collector.close();
      rmSync(dir, { recursive: true, force: true });
      await dropTestStore(dir);
    },
  };
}

let n = 0;
/** A valid SDK event of the wire schema. */
export function ev(tag: string, ts: string | number, fields: Record<string, unknown> = {}, who: { s?: string; c?: string } = {}): Record<string, unknown> {
  return {
    _tag: tag,
    schemaVersion: 1,
    id: `evt_${(n++).toString(36)}_${Math.random().toString(36).slice(2, 8)}`,
    ts: typeof ts === 'number' ? new Date(ts).toISOString() : ts,
    orgKey: ORG,
    sessionId: who.s ?? 'sess_1',
    clientId: who.c ?? 'client_1',
    url: 'https://app.example.com/',
    embedVersion: '1.0.0',
    ...fields,
  };
}

/** Posts events in batches of at most 500. */
export async function postAll(h: Harness, events: object[], env = 'prod'): Promise<void> {
  for (let i = 0; i < events.length; i += 500) {
    const status = await h.post(events.slice(i, i + 500), { env });
    if (status !== 204) throw new Error(`ingest answered ${status}`);
  }
}
