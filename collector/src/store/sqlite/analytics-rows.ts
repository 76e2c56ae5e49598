/** Row mapping shared by the SQLite analytics reads. */
import type { ExportRow } from '../../analytics/reader';

/** Row of `raw_events` mapped to the export shape (shared with the feed reads). */
export function toExportRow(r: {
  ts: number; event_id: string; type: string; env: string; kind: string; content_id: string;
  session_id: string; client_id: string; json: string;
}): ExportRow {
  const data = JSON.parse(r.json) as Record<string, unknown>;
  return {
    id: r.event_id,
    ts: new Date(r.ts).toISOString(),
    type: r.type,
    env: r.env,
    content_kind: r.kind,
    content_id: r.content_id,
    session_id: r.session_id,
    client_id: r.client_id,
    url: typeof data.url === 'string' ? data.url : null,
    data,
  };
}
