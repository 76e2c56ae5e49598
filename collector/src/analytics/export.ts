/**
 * Streams raw events as NDJSON or CSV in constant memory: rows come page by page from the store
 * (keyset pagination, so no cursor keeps the database busy while we wait), are written in chunks,
 * and the next page is read only after the socket has drained.
 */
import type { Writable } from 'node:stream';
import { csvLine } from './csv';
import type { ExportRow } from './reader';

/** Columns of the CSV export, in order. */
export const CSV_COLUMNS = ['id', 'ts', 'type', 'env', 'content_id', 'session_id', 'client_id', 'url', 'data'] as const;

/** Export formats and their content types. */
export const EXPORT_FORMATS = {
  ndjson: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
} as const;
export type ExportFormat = keyof typeof EXPORT_FORMATS;

const CHUNK_BYTES = 64 * 1024;

const RAW_DATA = Symbol('raw data');
type WithRaw = ExportRow & { [RAW_DATA]?: string };

/**
 * Marks `row.data` as the parse of `json`, the stored text of the event (written by
 * `JSON.stringify`, so writing it back verbatim is the same JSON): the export then copies the
 * text instead of serialising the object again, which was most of an export's CPU.
 */
export function withRawData(row: ExportRow, json: string): ExportRow {
  Object.defineProperty(row, RAW_DATA, { value: json });
  return row;
}

const str = JSON.stringify;

/** Serialises one row in the chosen format. */
export function formatRow(row: ExportRow, format: ExportFormat): string {
  const raw = (row as WithRaw)[RAW_DATA];
  if (format === 'ndjson') {
    if (raw === undefined) return JSON.stringify(row) + '\n';
    // the keys in the order JSON.stringify(row) writes them
    return `{"id":${str(row.id)},"ts":${str(row.ts)},"type":${str(row.type)},"env":${str(row.env)},"content_kind":${str(row.content_kind)},"content_id":${str(row.content_id)},"session_id":${str(row.session_id)},"client_id":${str(row.client_id)},"url":${row.url === null ? 'null' : str(row.url)},"data":${raw}}\n`;
  }
  return csvLine([row.id, row.ts, row.type, row.env, row.content_id, row.session_id, row.client_id, row.url, raw ?? row.data]);
}

/**
 * Resolves on the first `drain` or `close`, removing both listeners: racing two `once()` promises
 * would leave the loser's listeners on the socket at every wait, growing with the stream.
 */
function drainOrClose(out: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
  });
}

/**
 * Writes every row of `rows` to `out`, honouring backpressure; stops early (returning false)
 * when the client goes away. Returns the number of rows written.
 */
export async function writeExport(
  out: Writable,
  rows: AsyncIterable<ExportRow> | Iterable<ExportRow>,
  format: ExportFormat,
): Promise<{ rows: number; complete: boolean }> {
  let closed = false;
  const onClose = () => (closed = true);
  out.once('close', onClose);
  let buf = format === 'csv' ? csvLine(CSV_COLUMNS) : '';
  let n = 0;
  const flush = async () => {
    if (!buf) return;
    const ok = out.write(buf);
    buf = '';
    if (!ok && !closed) await drainOrClose(out);
  };
  try {
    for await (const row of rows) {
      if (closed) return { rows: n, complete: false };
      buf += formatRow(row, format);
      n++;
      if (buf.length >= CHUNK_BYTES) await flush();
    }
    await flush();
    return { rows: n, complete: !closed };
  } finally {
    out.off('close', onClose);
  }
}

/**
 * Turns a page reader into an async iterator over rows. `readPage(after)` returns up to one
 * page after the cursor; iteration ends on a short page.
 */
export async function* paginate<C>(
  readPage: (after: C | undefined) => Promise<{ rows: ExportRow[]; next: C | undefined }> | { rows: ExportRow[]; next: C | undefined },
): AsyncGenerator<ExportRow> {
  let after: C | undefined;
  for (;;) {
    const page = await readPage(after);
    yield* page.rows;
    if (page.next === undefined) return;
    after = page.next;
  }
}
