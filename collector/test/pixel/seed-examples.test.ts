/**
 * The six documented pixel examples, in order. Users follow the same rule as sessions ("later
 * values win"): after example 4 the user record holds the third event's text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCollector, type TestCollector } from '../helpers/collector';

const KEY = 'sk_test_seed_org_0123456789'; // org your-org-slug, site pixel.example.com
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
let clock = 1_747_000_000_000;
let c: TestCollector;
beforeAll(async () => {
  c = await startTestCollector({ now: () => (clock += 1000) });
});
afterAll(() => c.stop());

async function log(query: string): Promise<string> {
  const res = await fetch(`${c.url}/log?${query}`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  expect(res.headers.get('set-cookie')).toBeNull();
  const eid = await res.text();
  expect(eid).toMatch(UUID);
  return eid;
}
async function record(kind: 'sessions' | 'users', id: string) {
  const res = await fetch(`${c.url}/v1/admin/pixel/${kind}/${encodeURIComponent(id)}`, { headers: { 'x-api-key': KEY } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { data: Record<string, unknown> }).data;
}
async function lastEvent() {
  const [e] = (await c.store.listEvents({ orgKey: 'your-org-slug', limit: 1000 })).slice(-1);
  return JSON.parse(e!.json) as Record<string, unknown>;
}
const SI = 'si=pixel.example.com';

describe('raw-URL pixel: the six documented examples in order', () => {
  const eids: string[] = [];

  it('example 1: only si → eid generated, sid and uid copied from it', async () => {
    const eid = await log(`message=Please%20track%20me&${SI}`);
    eids.push(eid);
    const t = clock;
    expect(await lastEvent()).toEqual({ si: 'pixel.example.com', unixtimestamp: t, eid, sid: eid, uid: eid, props: { message: 'Please track me' } });
    const expected = { unixtimestamp: t, message: 'Please track me', eid, sid: eid, uid: eid, si: 'pixel.example.com' };
    expect(await record('sessions', eid)).toEqual(expected);
    expect(await record('users', eid)).toEqual(expected);
  });

  it('example 2: a given sid, uid copied from it', async () => {
    const eid = await log(`message=Please%20track%20me%20too!&sid=1234567890&${SI}`);
    eids.push(eid);
    const expected = { unixtimestamp: clock, message: 'Please track me too!', eid, sid: '1234567890', uid: '1234567890', si: 'pixel.example.com' };
    expect(await record('sessions', '1234567890')).toEqual(expected);
    expect(await record('users', '1234567890')).toEqual(expected);
  });

  it('example 3: a second event in the session changes the session and user records', async () => {
    const eid = await log(`message=Please%20track%20a%20seconds%20event!&sid=1234567890&${SI}`);
    expect(eid).not.toBe(eids[1]);
    const expected = { unixtimestamp: clock, message: 'Please track a seconds event!', eid, sid: '1234567890', uid: '1234567890', si: 'pixel.example.com' };
    expect(await record('sessions', '1234567890')).toEqual(expected);
    expect(await record('users', '1234567890')).toEqual(expected);
  });

  it('example 4: a third event merges a new property, keeps the old ones, and the last eid', async () => {
    const eid = await log(`privateMessage=Please%20track%20a%20third%20event!&sid=1234567890&${SI}`);
    expect(await lastEvent()).toMatchObject({ eid, sid: '1234567890', uid: '1234567890', props: { privateMessage: 'Please track a third event!' } });
    const expected = {
      unixtimestamp: clock,
      message: 'Please track a seconds event!',
      privateMessage: 'Please track a third event!',
      eid,
      sid: '1234567890',
      uid: '1234567890',
      si: 'pixel.example.com',
    };
    expect(await record('sessions', '1234567890')).toEqual(expected);
    expect(await record('users', '1234567890')).toEqual(expected);
  });

  it('example 5: a given sid and uid are both kept', async () => {
    const eid = await log(`message=Please%20track%20me%20too!&sid=1234567890&uid=123456&${SI}`);
    expect(await lastEvent()).toEqual({ si: 'pixel.example.com', unixtimestamp: clock, eid, sid: '1234567890', uid: '123456', props: { message: 'Please track me too!' } });
    expect(await record('users', '123456')).toEqual({ unixtimestamp: clock, message: 'Please track me too!', eid, sid: '1234567890', uid: '123456', si: 'pixel.example.com' });
    expect(await record('sessions', '1234567890')).toMatchObject({ eid, uid: '123456', message: 'Please track me too!', privateMessage: 'Please track a third event!' });
  });

  it('example 6: a uid alone starts a new session whose sid is the eid', async () => {
    const eid = await log(`message=Im%20a%20new%20session%20starting!&uid=123456&${SI}`);
    expect(await lastEvent()).toEqual({ si: 'pixel.example.com', unixtimestamp: clock, eid, sid: eid, uid: '123456', props: { message: 'Im a new session starting!' } });
    expect(await record('sessions', eid)).toEqual({ unixtimestamp: clock, message: 'Im a new session starting!', eid, sid: eid, uid: '123456', si: 'pixel.example.com' });
    expect(await record('users', '123456')).toEqual({ unixtimestamp: clock, message: 'Im a new session starting!', eid, sid: eid, uid: '123456', si: 'pixel.example.com' });
  });

  it('stored six pixel events', async () => {
    expect(await c.store.countEvents('your-org-slug')).toBe(6);
  });
});
