import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeBatch, post, startTestCollector, TEST_API_KEY } from '../helpers/collector';

const dir = mkdtempSync(join(tmpdir(), 'waymark-journeys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const put = (url: string, journey: string, body: unknown, headers: Record<string, string> = { 'x-api-key': TEST_API_KEY }) =>
  fetch(`${url}/api/journeys/${journey}`, { method: 'PUT', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('PUT /api/journeys/:journey', () => {
  it('needs the API key, validates, changes allowedOrigins at run time and persists them across a restart', async () => {
    const c = await startTestCollector({ dataDir: dir });
    expect((await put(c.url, 'test-journey', { allowedOrigins: [] }, {})).status).toBe(401);
    expect((await put(c.url, 'test-journey', { allowedOrigins: [] }, { 'x-api-key': 'sk_wrong_0123456789abcdef' })).status).toBe(401);
    const bad = await put(c.url, 'test-journey', { allowedOrigins: ['myapp.com/path'] });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/body\.allowedOrigins\.0: expected an origin/);

    const ok = await put(c.url, 'test-journey', { allowedOrigins: ['https://myapp.com', 'https://staging.myapp.com'] });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ data: { orgKey: 'test-org', journeyKey: 'test-journey', allowedOrigins: ['https://myapp.com', 'https://staging.myapp.com'] } });
    expect((await post(c.url, '/api/ingest', makeBatch(1), { origin: 'https://other.com' })).status).toBe(403);
    expect((await post(c.url, '/api/ingest', makeBatch(1), { origin: 'https://myapp.com' })).status).toBe(204);
    await c.stop();

    const again = await startTestCollector({ dataDir: dir });
    expect((await post(again.url, '/api/ingest', makeBatch(1), { origin: 'https://other.com' })).status).toBe(403);
    expect((await post(again.url, '/api/ingest', makeBatch(1), { origin: 'https://staging.myapp.com' })).status).toBe(204);
    await again.stop();
  });
});

describe('PUT /api/journeys/:journey on a journey the configuration does not declare', () => {
  it('answers 404 and stores nothing; a setting stored for a journey since removed is not applied', async () => {
    const own = mkdtempSync(join(tmpdir(), 'waymark-journeys-404-'));
    try {
      const c = await startTestCollector({ dataDir: own });
      const res = await put(c.url, 'no-such-journey', { allowedOrigins: ['https://myapp.com'] });
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ error: { code: 'journey_not_found', message: expect.stringContaining('"no-such-journey"') } });
      expect(await c.store.listJourneySettings()).toEqual([]);
      expect((await post(c.url, '/api/ingest', makeBatch(1, { journey: 'no-such-journey' }))).status).toBe(404);
      // as an older collector may have left it: a stored setting of an undeclared journey
      await c.store.saveJourneySettings({ orgKey: 'test-org', journeyKey: 'gone', allowedOrigins: [], updatedAt: Date.now() });
      await c.stop();
      const again = await startTestCollector({ dataDir: own });
      expect((await post(again.url, '/api/ingest', makeBatch(1, { journey: 'gone' }))).status).toBe(404);
      await again.stop();
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
  });
});
