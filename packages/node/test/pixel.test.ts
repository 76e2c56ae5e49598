/**
 * The six documented pixel examples, run in order through the pixel helpers against the real
 * collector, checked through the admin API's merged session and user records.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPixelUrl, PixelError, sendPixelEvent } from '../src/pixel';
import { API_KEY, SITE, startCollector, type TestCollector } from './helpers/collector';

let collector: TestCollector;
beforeAll(async () => {
  collector = await startCollector();
});
afterAll(async () => {
  await collector.destroy();
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

async function record(kind: 'sessions' | 'users', id: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${collector.url}/v1/admin/pixel/${kind}/${encodeURIComponent(id)}`, { headers: { 'x-api-key': API_KEY } });
  expect(res.status).toBe(200);
  const { data } = (await res.json()) as { data: Record<string, unknown> };
  expect(typeof data.unixtimestamp).toBe('number');
  expect(Math.abs(Date.now() - (data.unixtimestamp as number))).toBeLessThan(60_000);
  const { unixtimestamp: _, ...rest } = data;
  return rest;
}

describe('the documented pixel examples through sendPixelEvent', () => {
  const eids: string[] = [];

  it('example 1: only si → eid generated, sid and uid copied from it', async () => {
    const eid = await sendPixelEvent(collector.url, { message: 'Please track me', si: SITE });
    expect(eid).toMatch(UUID);
    eids.push(eid);
    const expected = { message: 'Please track me', eid, sid: eid, uid: eid, si: SITE };
    expect(await record('sessions', eid)).toEqual(expected);
    expect(await record('users', eid)).toEqual(expected);
  });

  it('example 2: a known sid → sid given, uid copied from it', async () => {
    const eid = await sendPixelEvent(collector.url, { message: 'Please track me too!', sid: '1234567890', si: SITE });
    expect(eid).toMatch(UUID);
    eids.push(eid);
    const expected = { message: 'Please track me too!', eid, sid: '1234567890', uid: '1234567890', si: SITE };
    expect(await record('sessions', '1234567890')).toEqual(expected);
    expect(await record('users', '1234567890')).toEqual(expected);
  });

  it('example 3: a second event in that session changes the session and user records', async () => {
    const eid = await sendPixelEvent(collector.url, { message: 'Please track a seconds event!', sid: '1234567890', si: SITE });
    eids.push(eid);
    const expected = { message: 'Please track a seconds event!', eid, sid: '1234567890', uid: '1234567890', si: SITE };
    expect(await record('sessions', '1234567890')).toEqual(expected);
    expect(await record('users', '1234567890')).toEqual(expected);
  });

  it('example 4: a third event merges a new property and keeps the last eid', async () => {
    const eid = await sendPixelEvent(collector.url, { privateMessage: 'Please track a third event!', sid: '1234567890', si: SITE });
    eids.push(eid);
    // (later values win for users as for sessions)
    const expected = {
      message: 'Please track a seconds event!',
      privateMessage: 'Please track a third event!',
      eid,
      sid: '1234567890',
      uid: '1234567890',
      si: SITE,
    };
    expect(await record('sessions', '1234567890')).toEqual(expected);
    expect(await record('users', '1234567890')).toEqual(expected);
  });

  it('example 5: sid and uid both given (sent as a POST form body)', async () => {
    const eid = await sendPixelEvent(collector.url, { message: 'Please track me too!', sid: '1234567890', uid: '123456', si: SITE }, { method: 'POST' });
    eids.push(eid);
    expect(await record('users', '123456')).toEqual({ message: 'Please track me too!', eid, sid: '1234567890', uid: '123456', si: SITE });
    expect(await record('sessions', '1234567890')).toMatchObject({ eid, sid: '1234567890', uid: '123456' });
  });

  it('example 6: a known uid without sid starts a new session whose sid is the eid (through /pixel.gif)', async () => {
    const eid = await sendPixelEvent(collector.url, { message: 'Im a new session starting!', uid: '123456', si: SITE }, { path: 'pixel.gif' });
    eids.push(eid);
    expect(eid).toMatch(UUID);
    expect(await record('sessions', eid)).toEqual({ message: 'Im a new session starting!', eid, sid: eid, uid: '123456', si: SITE });
    expect(await record('users', '123456')).toMatchObject({ message: 'Im a new session starting!', eid, sid: eid, uid: '123456' });
    expect(new Set(eids).size).toBe(6); // every eid generated afresh
  });

  it('the built URL is what a browser <img> or curl would request, and the gif answer carries the eid', async () => {
    const url = buildPixelUrl(collector.url, { si: SITE, campaign: 'spring sale', sid: 'img-session' }, { path: 'pixel.gif' });
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^image\/gif/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const eid = res.headers.get('x-waymark-eid')!;
    expect(await record('sessions', 'img-session')).toEqual({ campaign: 'spring sale', eid, sid: 'img-session', uid: 'img-session', si: SITE });
  });

  it('a site no org declares is a PixelError with the collector status and code', async () => {
    const err = await sendPixelEvent(collector.url, { si: 'unknown.example.com', m: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PixelError);
    expect(err).toMatchObject({ status: 404, code: 'site_not_found', message: expect.stringContaining('collector answered 404') });
  });
});
