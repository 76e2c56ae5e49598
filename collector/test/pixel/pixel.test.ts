import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCollector, TEST_API_KEY, type TestCollector } from '../helpers/collector';

let c: TestCollector;
beforeAll(async () => {
  c = await startTestCollector();
});
afterAll(() => c.stop());

const code = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

describe('pixel endpoints', () => {
  it('GET /pixel.gif answers a 1x1 GIF, no-store, with the eid in a header', async () => {
    const res = await fetch(`${c.url}/pixel.gif?si=test.site&page=%2Fhome&title=Caf%C3%A9+au+lait`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/gif');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const gif = Buffer.from(await res.arrayBuffer());
    expect(gif.subarray(0, 6).toString()).toBe('GIF89a');
    expect(gif.readUInt16LE(6)).toBe(1);
    expect(gif.readUInt16LE(8)).toBe(1);
    const eid = res.headers.get('x-waymark-eid')!;
    const rec = await fetch(`${c.url}/v1/admin/pixel/sessions/${eid}`, { headers: { 'x-api-key': TEST_API_KEY } });
    expect(((await rec.json()) as { data: Record<string, string> }).data).toMatchObject({ page: '/home', title: 'Café au lait', eid, sid: eid });
  });

  it('POST /log with a form body', async () => {
    const res = await fetch(`${c.url}/log`, { method: 'POST', body: new URLSearchParams({ si: 'test.site', sid: 'form-s', action: 'download' }) });
    expect(res.status).toBe(200);
    const eid = await res.text();
    const rec = await fetch(`${c.url}/v1/admin/pixel/sessions/form-s`, { headers: { 'x-api-key': TEST_API_KEY } });
    expect(((await rec.json()) as { data: Record<string, string> }).data).toMatchObject({ action: 'download', eid, sid: 'form-s', uid: 'form-s' });
  });

  it('400 without si, 404 for an undeclared site, 400 for a property name with a space or non-ASCII', async () => {
    let res = await fetch(`${c.url}/log?message=hi`);
    expect(res.status).toBe(400);
    expect(await code(res)).toBe('missing_site');
    res = await fetch(`${c.url}/log?si=unknown.site&message=hi`);
    expect(res.status).toBe(404);
    expect(await code(res)).toBe('site_not_found');
    res = await fetch(`${c.url}/log?si=test.site&bad%20name=1`);
    expect(res.status).toBe(400);
    expect(await code(res)).toBe('invalid_property_name');
    res = await fetch(`${c.url}/pixel.gif?si=test.site&n%C3%A4me=1`);
    expect(res.status).toBe(400);
    expect(await c.store.countEvents('test-org')).toBe(2);
  });

  it('admin records need the org API key and are scoped to its org', async () => {
    expect((await fetch(`${c.url}/v1/admin/pixel/sessions/form-s`)).status).toBe(401);
    const other = await fetch(`${c.url}/v1/admin/pixel/sessions/form-s`, { headers: { 'x-api-key': 'sk_test_seed_org_0123456789' } });
    expect(other.status).toBe(404);
    expect(await code(other)).toBe('session_not_found');
  });
});
