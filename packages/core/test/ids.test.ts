import { afterEach, describe, expect, it, vi } from 'vitest';
import { uuid } from '@waymark/core';
import { KNOWN_TYPES } from '../src/known';
import { eventSchemas } from '@waymark/core/schema';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** The ms time in a v7 id's first 48 bits. */
const msOf = (id: string) => parseInt(id.slice(0, 8) + id.slice(9, 13), 16);

describe('uuid', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  it('is a v7: the time in ms, then the random bits of crypto.randomUUID', () => {
    vi.useFakeTimers({ now: Date.parse('2026-11-23T07:00:00.123Z'), toFake: ['Date'] });
    vi.stubGlobal('crypto', { randomUUID: () => '0f0e0d0c-0b0a-4988-a776-655443322110' });
    const id = uuid();
    expect(id).toBe('01a20734-55fb-7988-a776-655443322110');
    expect(id).toMatch(V7);
    expect(msOf(id)).toBe(Date.parse('2026-11-23T07:00:00.123Z'));
  });

  it('ids made later sort later (the collector\'s id indexes grow at their end)', () => {
    vi.useFakeTimers({ now: Date.parse('2026-11-23T07:00:00Z'), toFake: ['Date'] });
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) {
      ids.push(uuid());
      vi.advanceTimersByTime(1);
    }
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(50);
    for (const id of ids) expect(id).toMatch(V7);
  });

  it('falls back to getRandomValues outside secure contexts (no randomUUID)', () => {
    const real = globalThis.crypto;
    const getRandomValues = vi.fn((a: Uint8Array) => real.getRandomValues(a));
    vi.stubGlobal('crypto', { getRandomValues });
    const ids = Array.from({ length: 200 }, uuid);
    for (const id of ids) expect(id).toMatch(V7);
    expect(new Set(ids).size).toBe(200);
    expect(getRandomValues).toHaveBeenCalled();
  });
});

describe('known event types', () => {
  it('match the schema in events.ts', () => {
    expect(KNOWN_TYPES.split(' ').sort()).toEqual(Object.keys(eventSchemas).sort());
  });
});
