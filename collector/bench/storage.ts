/**
 * Storage report of a benchmark database, read without migrating it (so it can describe a file
 * written by an older schema): bytes per raw event of every table and index, and what each index
 * is for. PostgreSQL: `pg_relation_size` of each table (TOAST included via `pg_table_size`) and of
 * each index, summed over a partitioned table's partitions; SQLite: the `dbstat` virtual table.
 *
 *   npx tsx collector/bench/storage.ts /tmp/pg-bench/1m.db
 *   npx tsx collector/bench/storage.ts postgres://postgres@127.0.0.1:5432/wm_pg_bench
 */
import Database from 'better-sqlite3';
import pg from 'pg';

/** What each index is for: the read or write that needs it. */
export const INDEX_PURPOSE: Record<string, string> = {
  raw_events_event_id: 'deduplication by (org, event_id) on append (SQLite)',
  raw_events_content: 'selector drill-down: newest events of a content (recentEvents); migrate-data dead letters',
  raw_events_ts: 'retention purge by ts; recentEvents / dashboard feed without content (SQLite); (ts, seq) on PostgreSQL before: the old export',
  raw_events_seq_idx: 'rebuild-rollups and listEvents in seq order; dead-letter retry and erasure by seq (PostgreSQL)',
  raw_events_client: 'user deletion; activity feed by user (SQLite)',
  raw_events_session: 'activity feed by session (SQLite)',
  raw_events_export: 'export pages: one (org, env, ts, seq) range per page',
  event_ids_pkey: 'deduplication by (org, event_id) on append (PostgreSQL)',
  event_ids_received: 'nothing (retention deletes ids through the rows it drops): dropped',
  outbox_pkey: 'processor claims, oldest first',
  outbox_raw_seq: 'user deletion: drops pending outbox rows of the user',
  activity_pkey: 'activity feed by user; user deletion',
  activity_session_page: 'activity feed by session, (ts, event_id) order',
  activity_content_page: 'activity feed by content, (ts, event_id) order',
  activity_session: 'activity feed by session (ts order only; replaced)',
  activity_content: 'activity feed by content (ts order only; replaced)',
  activity_ts: 'retention purge of the feed; dashboard newest activity',
  rm_entities_client: 'user deletion of read-model entities (PostgreSQL)',
  rm_entities_client_hour: 'user deletion of read-model entities (SQLite; led by the start hour, sought hour by hour)',
  pixel_records_ts: 'retention purge of pixel records',
  pixel_records_site: 'dashboard pixel sites by window',
};
const purpose = (name: string) => INDEX_PURPOSE[name] ?? (/(_pkey|autoindex)/.test(name) ? 'primary key' : '');

export interface StorageRow { name: string; kind: 'table' | 'index'; table: string; bytes: number }

export async function storageOf(target: string): Promise<{ engine: string; events: number; rows: StorageRow[] }> {
  if (target.startsWith('postgres')) {
    const client = new pg.Client({ connectionString: target });
    await client.connect();
    try {
      const events = Number((await client.query('SELECT count(*) AS n FROM raw_events')).rows[0].n);
      // every leaf relation (table or index) of the schema, named by its partition root
      const { rows } = await client.query<{ root: string; kind: string; tbl: string; bytes: string }>(`
        SELECT coalesce(pg_partition_root(c.oid), c.oid)::regclass::text AS root, c.relkind AS kind,
               coalesce(pg_partition_root(coalesce(i.indrelid, c.oid)), coalesce(i.indrelid, c.oid))::regclass::text AS tbl,
               sum(CASE WHEN c.relkind = 'r' THEN pg_table_size(c.oid) ELSE pg_relation_size(c.oid) END) AS bytes
          FROM pg_class c LEFT JOIN pg_index i ON i.indexrelid = c.oid
         WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'i')
         GROUP BY 1, 2, 3`);
      return { engine: 'postgres', events, rows: rows.map((r) => ({ name: r.root, kind: r.kind === 'r' ? 'table' : 'index', table: r.tbl, bytes: Number(r.bytes) })) };
    } finally {
      await client.end();
    }
  }
  const db = new Database(target, { readonly: true });
  try {
    const events = (db.prepare('SELECT count(*) AS n FROM raw_events').get() as { n: number }).n;
    const rows = db
      .prepare(`SELECT d.name, m.type, m.tbl_name AS tbl, sum(d.pgsize) AS bytes FROM dbstat d JOIN sqlite_master m ON m.name = d.name GROUP BY d.name`)
      .all() as { name: string; type: string; tbl: string; bytes: number }[];
    return { engine: 'sqlite', events, rows: rows.map((r) => ({ name: r.name, kind: r.type === 'index' ? 'index' : 'table', table: r.tbl, bytes: r.bytes })) };
  } finally {
    db.close();
  }
}

/** Markdown table: bytes per event of each table and its indexes, largest first, and the total. */
export function storageTable(s: Awaited<ReturnType<typeof storageOf>>): string {
  const per = (b: number) => (b / Math.max(1, s.events)).toFixed(1);
  const rows = s.rows.filter((r) => r.bytes > 0).sort((a, b) => a.table.localeCompare(b.table) || (a.kind === 'table' ? -1 : b.kind === 'table' ? 1 : b.bytes - a.bytes));
  const total = rows.reduce((n, r) => n + r.bytes, 0);
  const lines = rows.map((r) => `| ${r.table} | ${r.kind === 'table' ? '(table)' : r.name} | ${(r.bytes / 1048576).toFixed(1)} | ${per(r.bytes)} | ${r.kind === 'index' ? purpose(r.name) : ''} |`);
  return [
    `${s.engine}: ${s.events.toLocaleString('en')} raw events, ${(total / 1048576).toFixed(1)} MB, ${per(total)} B per event`,
    '',
    '| table | index | MB | B per event | what reads it |',
    '|---|---|---|---|---|',
    ...lines,
    `| **total** | | ${(total / 1048576).toFixed(1)} | ${per(total)} | |`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(storageTable(await storageOf(process.argv[2] ?? '/tmp/pg-bench/export.db')));
}
