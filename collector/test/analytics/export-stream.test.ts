/** The export writer reads rows only as fast as the client takes them, and stops when it leaves. */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { formatRow, paginate, writeExport } from '../../src/analytics/export';
import type { ExportRow } from '../../src/analytics/reader';
import { StoredExportRow } from '../../src/analytics/stored-row';

const row = (i: number): ExportRow => ({
  id: `e${i}`, ts: '2025-05-01T00:00:00.000Z', type: 'TourStarted', env: 'prod', content_kind: 'tour', content_id: 't',
  session_id: 's', client_id: 'c', url: null, data: { pad: 'x'.repeat(200) },
});

describe('streamed export', () => {
  it('honours backpressure: a slow client holds the reader back', async () => {
    let pulled = 0;
    const pages = paginate<number>((after) => {
      const from = after ?? 0;
      const rows = Array.from({ length: 1000 }, (_, i) => row(from + i));
      pulled += rows.length;
      return { rows, next: from + 1000 < 1_000_000 ? from + 1000 : undefined };
    });
    let written = 0;
    const slow = new Writable({ highWaterMark: 16 * 1024, write(chunk: Buffer, _e, cb) { written += chunk.length; setTimeout(cb, 5); } });
    const done = writeExport(slow, pages, 'ndjson');
    await new Promise((r) => setTimeout(r, 200));
    // a million rows exist; only the few pages the socket could take were read
    expect(pulled).toBeLessThan(20_000);
    slow.destroy();
    expect(await done).toMatchObject({ complete: false });
    expect(written).toBeGreaterThan(0);
  });

  it('leaves no listener behind after each wait for drain, however long the stream', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => row(i));
    const sink = new Writable({ highWaterMark: 1024, write(_c: Buffer, _e, cb) { setImmediate(cb); } });
    const before = sink.listenerCount('close') + sink.listenerCount('error') + sink.listenerCount('drain');
    let most = 0;
    const watch = setInterval(() => (most = Math.max(most, sink.listenerCount('close') + sink.listenerCount('error'))), 0);
    // well over a hundred waits for drain
    expect(await writeExport(sink, rows, 'ndjson')).toEqual({ rows: 5000, complete: true });
    clearInterval(watch);
    expect(most).toBeLessThanOrEqual(before + 3);
    expect(sink.listenerCount('close') + sink.listenerCount('error') + sink.listenerCount('drain')).toBe(before);
  });

  it('writes the stored event text as it would write the parsed event, both formats', () => {
    const data = { _tag: 'TourStarted', note: '=SUM(1)', nested: { a: [1, 'é\n'] } };
    const url = 'https://app.example.com/a?x="1"';
    const stored = (d: Record<string, unknown>) => new StoredExportRow([7, Date.parse(row(7).ts), 'e7', 'TourStarted', 'prod', 'tour', 't', 's', 'c', JSON.stringify(d)]);
    const plain = { ...row(7), url, data: { ...data, url } };
    const fast = stored(plain.data);
    for (const f of ['ndjson', 'csv'] as const) expect(formatRow(fast, f)).toBe(formatRow(plain, f));
    expect(JSON.parse(formatRow(fast, 'ndjson'))).toEqual(plain);
    expect(formatRow(stored(data), 'ndjson')).toBe(formatRow({ ...plain, data, url: null }, 'ndjson'));
  });

  it('writes every row of a fast client, CSV with its header', async () => {
    let text = '';
    const sink = new Writable({ write(chunk: Buffer, _e, cb) { text += chunk.toString(); cb(); } });
    const r = await writeExport(sink, Array.from({ length: 2500 }, (_, i) => row(i)), 'csv');
    expect(r).toEqual({ rows: 2500, complete: true });
    const lines = text.trim().split('\r\n');
    expect(lines).toHaveLength(2501);
    expect(lines[0]).toBe('id,ts,type,env,content_id,session_id,client_id,url,data');
  });
});
