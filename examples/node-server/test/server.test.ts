/**
 * The example end to end against the real collector: a visitor signs up through the server,
 * the journey events arrive with one identity, form values never leave the server, and the
 * page's pixel records the same visitor.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestCollector, type TestCollector } from '@waymark/collector/testing';
import { createNodeTracker, type NodeTracker } from '@waymark/node';
import { createApp } from '../src/app';

const API_KEY = 'example-api-key-0123456789';
let collector: TestCollector;
let tracker: NodeTracker;
let base: string;
let close: () => Promise<void>;

beforeAll(async () => {
  collector = await startTestCollector({
    config: { orgs: [{ key: 'demo', apiKeys: [API_KEY], journeys: [{ key: 'demo-journey' }], sites: ['demo.local'] }], logLevel: 'silent' },
  });
  tracker = createNodeTracker({ org: 'demo', journey: 'demo-journey', endpoint: `${collector.url}/api/ingest` });
  const server = createApp({ tracker, collectorUrl: collector.url, site: 'demo.local' }).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => new Promise((r) => server.close(() => r()));
});
afterAll(async () => {
  await close();
  await tracker.shutdown({ timeout: 1_000 });
  await collector.stop();
});

it('tracks a server-side sign-up journey and serves the pixel for the same visitor', async () => {
  const home = await fetch(`${base}/?utm_source=mail&ref=jane`);
  const cookie = home.headers.get('set-cookie')!.split(';')[0]!;
  const [sessionId, clientId] = cookie.split('=')[1]!.split('.');
  const html = await home.text();
  const src = /<img src="([^"]+)"/.exec(html)![1]!.replace(/&amp;/g, '&');
  expect(src.startsWith(`${collector.url}/pixel.gif?si=demo.local&sid=${sessionId}&uid=${clientId}&page=home`)).toBe(true);
  const gif = await fetch(src);
  expect(gif.headers.get('content-type')).toMatch(/image\/gif/);

  const headers = { cookie };
  await fetch(`${base}/signup`, { headers });
  const bad = await fetch(`${base}/signup`, { method: 'POST', headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, body: 'email=jane%40example.com&plan=' });
  expect(bad.status).toBe(422);
  const ok = await fetch(`${base}/signup`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'email=jane%40example.com&plan=team',
    redirect: 'manual',
  });
  expect(ok.status).toBe(303);
  await fetch(`${base}/welcome`, { headers });
  await tracker.flush();

  const rows = await collector.store.listEvents({ orgKey: 'demo', limit: 1000 });
  const sdk = rows.filter((r) => r.source === 'sdk');
  expect(sdk.map((r) => [r.type, (JSON.parse(r.json) as { stepKey?: string; fieldKey?: string }).stepKey ?? (JSON.parse(r.json) as { fieldKey?: string }).fieldKey ?? ''])).toEqual([
    ['session_start', ''],
    ['page_view', ''],
    ['step_view', 'account'],
    ['page_view', ''],
    ['submit_attempt', 'account'],
    ['validation_error', 'account'],
    ['submit_attempt', 'account'],
    ['submit_success', 'account'],
    ['account_created', ''],
    ['step_view', 'welcome'],
    ['page_view', ''],
  ]);
  expect(sdk.every((r) => r.sessionId === sessionId && r.clientId === clientId)).toBe(true);
  expect(JSON.parse(sdk[1]!.json)).toMatchObject({ url: `${base}/?utm_source=mail&ref` });
  const stored = JSON.stringify(rows);
  expect(stored).not.toContain('jane'); // neither the typed e-mail nor the query value
  const pixel = rows.filter((r) => r.source === 'pixel');
  expect(pixel.map((r) => [r.sessionId, r.clientId])).toEqual([[sessionId, clientId]]);
});
