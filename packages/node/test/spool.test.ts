import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { QueuedBatch } from '@waymark/core';
import { createSpool } from '../src/spool';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'wm-spool-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const batch = (key: string, body = `{"k":"${key}"}`): QueuedBatch => ({ key, body, count: 2, createdAt: 1, attempts: 0, notBefore: 0 });

describe('createSpool', () => {
  it('keeps one file per batch and lists them oldest first, across instances', async () => {
    const dir = tmp();
    const a = createSpool({ dir });
    await a.put(batch('000000002-b'));
    await a.put(batch('000000001-a'));
    await a.put(batch('000000003-c'));
    expect(readdirSync(dir).filter((f) => f.endsWith('.batch.json'))).toHaveLength(3);
    const b = createSpool({ dir }); // a new process opening the same directory
    expect((await b.list()).map((x) => x.key)).toEqual(['000000001-a', '000000002-b', '000000003-c']);
    await b.remove('000000002-b');
    await b.remove('000000002-b'); // removing twice is fine
    expect((await a.list()).map((x) => x.key)).toEqual(['000000001-a', '000000003-c']);
  });

  it('replaces a batch atomically when it is put again and leaves no temporary file', async () => {
    const dir = tmp();
    const s = createSpool({ dir });
    await s.put(batch('k1', 'first'));
    await s.put({ ...batch('k1', 'second'), attempts: 3 });
    expect(await s.list()).toEqual([{ ...batch('k1', 'second'), attempts: 3 }]);
    expect(readdirSync(dir)).toEqual(['k1.batch.json']);
  });

  it('moves unreadable files aside instead of failing, and reports them', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'bad.batch.json'), '{"key":"bad", trunc');
    const seen: string[] = [];
    const s = createSpool({ dir, onCorrupt: (f) => seen.push(f) });
    await s.put(batch('good'));
    expect((await s.list()).map((b) => b.key)).toEqual(['good']);
    expect(seen).toEqual([join(dir, 'bad.batch.json')]);
    expect(readdirSync(dir).sort()).toEqual(['bad.batch.json.corrupt', 'good.batch.json']);
  });

  it('refuses keys that are not safe file names and a missing directory', async () => {
    const s = createSpool({ dir: tmp() });
    await expect(s.put(batch('../escape'))).rejects.toThrow(/expected a batch key .* got "..\/escape"/);
    expect(() => createSpool({ dir: '' })).toThrow(/expected spool.dir to be a directory path, got ""/);
  });
});
