/**
 * Fuzz: thousands of random and malformed bodies, headers, query strings and paths. Every answer
 * must be a 4xx with the JSON error format, never a 5xx or a crash, and nothing may be stored.
 * Deterministic (seeded) and bounded in count; runs against a real collector over HTTP.
 */
import { request, Agent } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeBatch, startTestCollector, type TestCollector } from '../helpers/collector';

const COUNT = 2000;
let c: TestCollector;
beforeAll(async () => {
  c = await startTestCollector();
});
afterAll(() => c.stop());

// mulberry32: a tiny seeded PRNG so a failure can be replayed
function prng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = prng(20261123);
const int = (n: number) => Math.floor(rand() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => int(256)));
const junkString = () => pick(['', ' ', '\u0000', 'é', '😀', '%', '%zz', '<script>', 'a'.repeat(int(3000)), bytes(8).toString('latin1'), String(rand())]);
const junkValue = (): unknown => pick([null, true, 0, -1, 1e309, 'x', [], {}, [null], { a: 1 }, junkString(), 12.5]);

/** Mutations that always make a valid batch invalid. */
const REQUIRED = ['_tag', 'schemaVersion', 'id', 'ts', 'orgKey', 'sessionId', 'clientId', 'url', 'embedVersion'];
function brokenBatch(): unknown {
  const b = makeBatch(1 + int(5), { prefix: `fz${int(1e9)}` }) as unknown as { context: Record<string, unknown>; events: Record<string, unknown>[] } & Record<string, unknown>;
  const e = b.events[int(b.events.length)]!;
  switch (int(12)) {
    case 0: delete e[pick(REQUIRED)]; break;
    case 1: e[pick(REQUIRED.filter((k) => k !== 'schemaVersion'))] = pick([1, null, {}, [], true]); break;
    case 2: e.ts = pick(['yesterday', '2024-13-45T00:00:00Z', '', '1700000000000', 'x'.repeat(50)]); break;
    case 3: e.schemaVersion = pick([0, 2, '1', null]); break;
    case 4: e._tag = pick(['', '1abc', 'has space', 'a'.repeat(80), 'step_view!']); break;
    case 5: e.orgKey = 'other-org'; break;
    case 6: b.events = []; break;
    case 7: delete (b as Record<string, unknown>).context; break;
    case 8: e._tag = 'step_view'; e.stepKey = pick(['', 'k'.repeat(200), 7, null]); break;
    case 9: b.schemaVersion = pick([2, '1', null]); break;
    case 10: b.events = pick([null, {}, 'events', 3]) as never; break;
    default: e.props = pick([{ '': 1 }, { a: { nested: true } }, Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`k${i}`, i])), 'props']); break;
  }
  return b;
}

interface Req {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}
function randomRequest(): Req {
  const ingestPath = pick(['/api/ingest', '/v1/sdk/events']);
  const ct = pick(['application/json', 'text/plain;charset=UTF-8', 'text/plain;charset=latin1', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16', 'garbage', '']);
  const kind = int(10);
  const headers: Record<string, string> = {};
  if (ct) headers['content-type'] = ct;
  if (rand() < 0.3) headers.origin = pick(['null', 'https://evil.example', 'http://x', junkString().replace(/[^\x20-\x7e]/g, '') || 'o', 'file://']);
  if (kind <= 3) {
    let body = Buffer.from(JSON.stringify(brokenBatch()));
    if (rand() < 0.2) {
      body = gzipSync(body);
      headers['content-encoding'] = 'gzip';
    }
    return { method: 'POST', path: ingestPath, headers, body };
  }
  if (kind === 4) return { method: 'POST', path: ingestPath, headers, body: bytes(int(2048)) };
  if (kind === 5) {
    headers['content-encoding'] = pick(['gzip', 'deflate', 'br', 'x-unknown', 'identity, gzip']);
    return { method: 'POST', path: ingestPath, headers, body: rand() < 0.5 ? bytes(int(512)) : gzipSync(JSON.stringify(junkValue())) };
  }
  if (kind === 6) return { method: 'POST', path: ingestPath, headers, body: Buffer.from(JSON.stringify(junkValue())) };
  if (kind === 7) {
    // pixel: without si, unknown si, or a bad property name; never a valid event
    const q = pick([
      `message=${encodeURIComponent(junkString())}`,
      `si=nope.site&a=1`,
      `si=test.site&bad%20name=1`,
      `si=test.site&${encodeURIComponent('ü')}=1`,
      `si=&sid=1`,
      `si=test.site&v=${'x'.repeat(9000)}`,
      `si=test.site&sid=${'s'.repeat(200)}`,
      `%zz=%zz`,
      `si=test.site&=x`,
      `a[b]=1&si[]=test.site`,
    ]);
    return { method: pick(['GET', 'POST']), path: `${pick(['/log', '/pixel.gif'])}?${q}`, headers };
  }
  if (kind === 8) {
    return {
      method: pick(['GET', 'DELETE', 'PATCH', 'PUT']),
      path: pick(['/api/ingest', '/v1/sdk/events', '/api/journeys/x', '/v1/admin/pixel/sessions/%E0%A4%A', '/v1/admin/pixel/users/1', '/%', '/embed/v2.js', `/${junkString().replace(/[^\x21-\x7e]/g, '')}`]),
      headers: { ...headers, ...(rand() < 0.5 ? { 'x-api-key': junkString().replace(/[^\x20-\x7e]/g, '') || 'k' } : {}) },
      body: rand() < 0.5 ? bytes(int(128)) : undefined,
    };
  }
  return { method: 'POST', path: ingestPath, headers, body: Buffer.from(JSON.stringify(brokenBatch())) };
}

/** Bodies over the 1 MB limit, answered 413 before they are read (sent one at a time, see below). */
function oversizedRequest(): Req {
  const headers: Record<string, string> = { 'content-type': pick(['application/json', 'text/plain']) };
  if (rand() < 0.5) return { method: 'POST', path: pick(['/api/ingest', '/v1/sdk/events']), headers, body: Buffer.alloc(1024 * 1024 + 1 + int(1000), 0x20) };
  headers['content-encoding'] = 'gzip';
  return { method: 'POST', path: '/api/ingest', headers, body: gzipSync(Buffer.alloc(1024 * 1024 + 1 + int(100_000), 0x20)) };
}

function send(url: string, r: Req, agent: Agent | false): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${r.path}`, { method: r.method, headers: { connection: 'close', ...r.headers }, agent }, (res) => {
      let body = '';
      res.setEncoding('latin1');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(r.body);
  });
}

describe('fuzz', () => {
  it(`${COUNT} random and malformed requests get only 4xx JSON errors and store nothing`, async () => {
    // a fresh connection per request (no socket reuse), so each answer belongs to its own request
    const agent = false as const;
    const requests = Array.from({ length: COUNT }, randomRequest);
    const oversized = Array.from({ length: 40 }, oversizedRequest);
    const bad: string[] = [];
    const statuses = new Map<number, number>();
    const check = async (r: Req, a: Agent | false) => {
      const { status, body } = await send(c.url, r, a).catch((e: Error) => ({ status: -1, body: e.message }));
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      const json = /^\{"error":\{"code":"[a-z_]+","message":/.test(body);
      if (status < 400 || status >= 500 || !json) bad.push(`${status} ${r.method} ${r.path.slice(0, 80)} ${JSON.stringify(r.headers)} → ${body.slice(0, 200)}`);
    };
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < requests.length) await check(requests[next++]!, agent);
      }),
    );
    // One at a time: the server answers 413 from Content-Length (or mid-gunzip) and closes the
    // connection; with client and server in one test process, parallel 1 MB uploads only test the client.
    const single = new Agent({ keepAlive: false });
    for (const r of oversized) await check(r, single);
    single.destroy();
    expect(bad.slice(0, 10)).toEqual([]);
    expect(statuses.get(413)).toBeGreaterThanOrEqual(oversized.length);
    await c.drain();
    expect(await c.store.countEvents()).toBe(0);
    expect(await c.store.readCounters({})).toEqual([]);
    expect([...statuses.keys()].every((s) => s >= 400 && s < 500)).toBe(true);
    // the collector is still healthy
    expect((await fetch(`${c.url}/health`)).status).toBe(200);
  }, 120_000);
});
