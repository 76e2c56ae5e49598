import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestCollector, type TestCollector } from '../helpers/collector';

let c: TestCollector;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'waymark-static-'));
  writeFileSync(join(dir, 'embed.js'), '/* embed */');
  writeFileSync(join(dir, 'embed-vitals.js'), '/* vitals */');
  c = await startTestCollector({ staticPaths: { embedFile: join(dir, 'embed.js'), embedVitalsFile: join(dir, 'embed-vitals.js') } });
});
afterAll(async () => {
  await c?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test.each([
  ['/embed/v1.js', '/* embed */'],
  ['/embed/v1/vitals.js', '/* vitals */'],
])('%s is served as JavaScript to any origin, cached briefly', async (path, body) => {
  const res = await fetch(`${c.url}${path}`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/javascript/);
  expect(res.headers.get('access-control-allow-origin')).toBe('*');
  expect(res.headers.get('cache-control')).toBe('public, max-age=300');
  expect(await res.text()).toBe(body);
});

test('a script that is not built answers 404 with a JSON reason', async () => {
  rmSync(join(dir, 'embed-vitals.js'));
  const res = await fetch(`${c.url}/embed/v1/vitals.js`);
  expect(res.status).toBe(404);
  expect(await res.json()).toMatchObject({ error: { code: 'embed_not_built' } });
});
