/**
 * Streams raw events as NDJSON or CSV in constant memory: rows come page by page from the store
 * (keyset pagination, so no cursor keeps the database busy while we wait), are written in chunks,
 * and the store is asked for more only as the socket drains (one page read ahead).
 */
import type { Writable } from 'node:stream';
import { csvLine, csvText } from './csv';
import type { ExportRow } from './reader';
import { StoredExportRow } from './stored-row';

/** Columns of the CSV export, in order. */
export const CSV_COLUMNS = ['id', 'ts', 'type', 'env', 'content_id', 'session_id', 'client_id', 'url', 'data'] as const;

/** Export formats and their content types. */
export const EXPORT_FORMATS = {
  ndjson: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
} as const;
export type ExportFormat = keyof typeof EXPORT_FORMATS;

const CHUNK_BYTES = 64 * 1024;

const str = JSON.stringify;

/** Serialises one row in the chosen format. */
export function formatRow(row: ExportRow, format: ExportFormat): string {
  // a row read from the store carries the event's stored text (written by JSON.stringify): copied as is
  const raw = row instanceof StoredExportRow ? row.json : undefined;
  if (format === 'ndjson') {
    if (raw === undefined) return JSON.stringify(row) + '\n';
    // the keys in the order JSON.stringify(row) writes them
    return `{"id":${str(row.id)},"ts":${str(row.ts)},"type":${str(row.type)},"env":${str(row.env)},"content_kind":${str(row.content_kind)},"content_id":${str(row.content_id)},"session_id":${str(row.session_id)},"client_id":${str(row.client_id)},"url":${row.url === null ? 'null' : str(row.url)},"data":${raw}}\n`;
  }
  if (raw === undefined) return csvLine([row.id, row.ts, row.type, row.env, row.content_id, row.session_id, row.client_id, row.url, row.data]);
  // csvLine of the same cells, without its array and per-cell type checks: every cell is text here
  const t = csvText;
  return `${t(row.id)},${t(row.ts)},${t(row.type)},${t(row.env)},${t(row.content_id)},${t(row.session_id)},${t(row.client_id)},${row.url == null ? '' : t(row.url)},${t(raw)}\r\n`;
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
export function writeExport(
  out: Writable,
  rows: AsyncIterable<ExportRow> | Iterable<ExportRow>,
  format: ExportFormat,
): Promise<{ rows: number; complete: boolean }> {
  return writeExportPages(out, Array.isArray(rows) ? [rows] : onePerPage(rows), format);
}

async function* onePerPage(rows: AsyncIterable<ExportRow> | Iterable<ExportRow>): AsyncGenerator<readonly ExportRow[]> {
  for await (const row of rows) yield [row];
}

/**
 * `writeExport` for rows that come in pages: the rows of a page are formatted in a plain loop,
 * so the stream awaits once per page and per drain, not once per row (a million awaits were a
 * visible part of an export's CPU).
 */
export async function writeExportPages(
  out: Writable,
  pages: AsyncIterable<readonly ExportRow[]> | Iterable<readonly ExportRow[]>,
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
    for await (const page of pages) {
      for (const row of page) {
        if (closed) return { rows: n, complete: false };
        buf += formatRow(row, format);
        n++;
        if (buf.length >= CHUNK_BYTES) await flush();
      }
    }
    await flush();
    return { rows: n, complete: !closed };
  } finally {
    out.off('close', onClose);
  }
}

/** One page of rows and the cursor after it (none on the last page). */
export interface ExportPage<C> {
  rows: ExportRow[];
  next?: C | undefined;
}

/**
 * The pages of an export, each one requested as soon as the page before it has arrived: the
 * database reads page n + 1 (PostgreSQL, on its own cores) while the writer formats and sends
 * page n. At most one page waits in memory; a slow client still holds the reads back, since the
 * page after next is requested only when the writer asks for the next one.
 */
export async function* readAhead<C>(first: ExportPage<C>, readNext: (after: C) => Promise<ExportPage<C>>): AsyncGenerator<readonly ExportRow[]> {
  let page = first;
  for (;;) {
    const next = page.next === undefined ? undefined : readNext(page.next);
    // a failure is thrown where the page is awaited; until then it must not count as unhandled
    next?.catch(() => {});
    yield page.rows;
    if (next === undefined) return;
    page = await next;
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
