/**
 * An export row straight from a `raw_events` row (both engines): the event's stored JSON text is
 * kept as it is, for the export writer to copy, and parsed only if something reads `data`. Its
 * `url` is read from the text by `topLevelString`, so an export never parses an event.
 */
import { topLevelString } from './json-field';
import type { ExportRow } from './reader';

/** The `raw_events` columns an export row is made of, in the order of {@link ExportDbRow}. */
export const EXPORT_COLUMNS = 'seq, ts, event_id, type, env, kind, content_id, session_id, client_id, json';

/**
 * One `raw_events` row of an export page as an array (`seq` is the page's keyset cursor): both
 * drivers build an array per row for less than an object with named properties.
 */
export type ExportDbRow = [
  seq: number, ts: number, event_id: string, type: string, env: string, kind: string,
  content_id: string, session_id: string, client_id: string, json: string,
];

export class StoredExportRow implements ExportRow {
  readonly id: string;
  readonly ts: string;
  readonly type: string;
  readonly env: string;
  readonly content_kind: string;
  readonly content_id: string;
  readonly session_id: string;
  readonly client_id: string;
  readonly url: string | null;
  /** The event as stored, written by `JSON.stringify`: the export copies it instead of serialising `data`. */
  readonly json: string;

  constructor(r: ExportDbRow) {
    this.id = r[2];
    this.ts = new Date(r[1]).toISOString();
    this.type = r[3];
    this.env = r[4];
    this.content_kind = r[5];
    this.content_id = r[6];
    this.session_id = r[7];
    this.client_id = r[8];
    this.url = topLevelString(r[9], 'url');
    this.json = r[9];
  }

  /** The parsed event, for the rare reader that wants the object. */
  get data(): Record<string, unknown> {
    return JSON.parse(this.json) as Record<string, unknown>;
  }

  /** `JSON.stringify(row)` gives the plain export row (with `data`), not the stored text. */
  toJSON(): ExportRow {
    const { id, ts, type, env, content_kind, content_id, session_id, client_id, url, data } = this;
    return { id, ts, type, env, content_kind, content_id, session_id, client_id, url, data };
  }
}

/** One export page of `raw_events` rows, and the cursor after it when the page is full. */
export function exportPageOf(rows: ExportDbRow[], limit: number): { rows: ExportRow[]; next?: { ts: number; seq: number } } {
  const last = rows[rows.length - 1];
  const out = new Array<ExportRow>(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = new StoredExportRow(rows[i]!);
  return { rows: out, next: rows.length === limit && last ? { ts: last[1], seq: last[0] } : undefined };
}
