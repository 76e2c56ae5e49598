import { afterEach, describe, expect, it, vi } from 'vitest';
import { uuid } from '@waymark/core';
import { KNOWN_TYPES } from '../src/known';
import { eventSchemas } from '@waymark/core/schema';

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('uuid', () => {
  afterEach(() => void vi.unstubAllGlobals());

  it('uses crypto.randomUUID when there is one', () => {
    vi.stubGlobal('crypto', { randomUUID: () => 'from-randomUUID' });
    expect(uuid()).toBe('from-randomUUID');
  });

  it('falls back to getRandomValues outside secure contexts (no randomUUID)', () => {
    const real = globalThis.crypto;
    const getRandomValues = vi.fn((a: Uint8Array) => real.getRandomValues(a));
    vi.stubGlobal('crypto', { getRandomValues });
    const ids = Array.from({ length: 200 }, uuid);
    for (const id of ids) expect(id).toMatch(V4);
    expect(new Set(ids).size).toBe(200);
    expect(getRandomValues).toHaveBeenCalled();
  });
});

describe('known event types', () => {
  it('match the schema in events.ts', () => {
    expect(KNOWN_TYPES.split(' ').sort()).toEqual(Object.keys(eventSchemas).sort());
  });
});
