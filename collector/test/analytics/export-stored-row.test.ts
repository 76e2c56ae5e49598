/**
 * The export's rows read from the store copy the event's stored text and read its `url` without
 * parsing it: the lines must be those of the parsed event, whatever the event holds.
 */
import { describe, expect, it } from 'vitest';
import { formatRow, readAhead, writeExportPages } from '../../src/analytics/export';
import { topLevelString } from '../../src/analytics/json-field';
import type { ExportRow } from '../../src/analytics/reader';
import { StoredExportRow, type ExportDbRow } from '../../src/analytics/stored-row';
import { Writable } from 'node:stream';
import { rng } from './population';

const TRICKY = ['', 'url', '"url":"x"', '\\', '\\"', '"', '{', '}', '[', ']', ':', ',', 'é', '😀', '\n', '\r\n', '\u0001', '=SUM(1)', '+1', '-', '@a', '\tx', 'a,b', 'say "hi"', '\u2028'];

/** A random event-like object: url anywhere (or absent, or not a string), nested values that also hold "url". */
function randomEvent(r: () => number): Record<string, unknown> {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const text = () => Array.from({ length: 1 + Math.floor(r() * 3) }, () => pick(TRICKY)).join('');
  const value = (depth: number): unknown => {
    const k = r();
    if (depth < 2 && k < 0.15) return { url: text(), [text()]: value(depth + 1) };
    if (depth < 2 && k < 0.25) return [text(), value(depth + 1), { url: 1 }];
    if (k < 0.35) return r() * 1000;
    if (k < 0.4) return null;
    if (k < 0.45) return r() < 0.5;
    return text();
  };
  const e: Record<string, unknown> = {};
  const keys = Math.floor(r() * 6);
  const urlAt = Math.floor(r() * (keys + 1));
  for (let i = 0; i <= keys; i++) {
    if (i === urlAt) {
      const u = r();
      if (u < 0.7) e.url = text() + 'https://app.example.com/a?x=' + text();
      else if (u < 0.8) e.url = value(0);
      else if (u < 0.85) e.url = null;
      // else: no url at all
    }
    e[`k${i}${text()}`] = value(0);
  }
  return e;
}

interface Cols { seq: number; event_id: string; session_id: string; client_id: string }
const dbRow = (json: string, over: Partial<Cols> = {}): ExportDbRow => {
  const c = { seq: 1, event_id: 'e1', session_id: 's', client_id: 'c', ...over };
  return [c.seq, Date.UTC(2025, 4, 1, 12, 30, 0, 7), c.event_id, 'page_view', 'prod', 'journey', 'j', c.session_id, c.client_id, json];
};

/** The row as the export built it before: the parsed event as `data`. */
const parsedRow = ([, ts, id, type, env, kind, contentId, sessionId, clientId, json]: ExportDbRow): ExportRow => {
  const data = JSON.parse(json) as Record<string, unknown>;
  return {
    id, ts: new Date(ts).toISOString(), type, env, content_kind: kind, content_id: contentId,
    session_id: sessionId, client_id: clientId, url: typeof data.url === 'string' ? data.url : null, data,
  };
};

describe('export rows from the stored text', () => {
  it('reads the top-level url as JSON.parse would, on 5,000 random events', () => {
    const r = rng(17);
    for (let i = 0; i < 5000; i++) {
      const json = JSON.stringify(randomEvent(r));
      const data = JSON.parse(json) as Record<string, unknown>;
      expect(topLevelString(json, 'url'), json).toBe(typeof data.url === 'string' ? data.url : null);
    }
  });

  it('writes the lines of the parsed event, both formats, including cells a spreadsheet would run', () => {
    const r = rng(18);
    for (let i = 0; i < 2000; i++) {
      const over = { event_id: TRICKY[i % TRICKY.length]! + 'id', session_id: TRICKY[(i * 7) % TRICKY.length]!, client_id: TRICKY[(i * 3) % TRICKY.length]! };
      const row = dbRow(JSON.stringify(randomEvent(r)), over);
      for (const f of ['ndjson', 'csv'] as const) expect(formatRow(new StoredExportRow(row), f)).toBe(formatRow(parsedRow(row), f));
    }
  });

  it('parses data only when asked, to the stored event', () => {
    const event = { _tag: 'page_view', url: 'https://x', props: { url: 'nested' } };
    const row = new StoredExportRow(dbRow(JSON.stringify(event)));
    expect(row.url).toBe('https://x');
    expect(row.data).toEqual(event);
    // serialised as the plain row would be, in the same key order
    const plain = parsedRow(dbRow(JSON.stringify(event)));
    expect(JSON.stringify(row)).toBe(JSON.stringify(plain));
  });

  it('reads one page ahead, no more, while the writer is held back', async () => {
    const page = (i: number) => ({ rows: [new StoredExportRow(dbRow(JSON.stringify({ url: `u${i}`, pad: 'x'.repeat(70_000) }), { seq: i }))], next: i < 50 ? i + 1 : undefined });
    let requested = 0;
    const pages = readAhead<number>(page(0), async (after) => {
      requested = Math.max(requested, after);
      return page(after);
    });
    let release: () => void = () => {};
    const stuck = new Writable({ highWaterMark: 1024, write(_c, _e, cb) { release = cb; } });
    const done = writeExportPages(stuck, pages, 'ndjson');
    await new Promise((res) => setTimeout(res, 50));
    // page 0 is being written; page 1 was asked for as page 0 arrived, page 2 not yet
    expect(requested).toBe(1);
    stuck.destroy();
    release();
    expect(await done).toMatchObject({ complete: false });
  });
});
