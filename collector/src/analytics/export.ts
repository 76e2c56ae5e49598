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

/** Serialises one row in the chosen format. */
export function formatRow(row: ExportRow, format: ExportFormat): string {
  if (format === 'ndjson') return JSON.stringify(row) + '\n';
  return csvLine([row.id, row.ts, row.type, row.env, row.content_id, row.session_id, row.client_id, row.url, row.data]);
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
