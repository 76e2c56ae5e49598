/**
 * PostgreSQL schema, as ordered migrations applied under an advisory lock (several collectors
 * may start at once) and recorded in `waymark_migrations`. Never edit a released migration:
 * append a new one. Column names and meanings match the SQLite schema (`../sqlite/migrations.ts`);
 * times are bigint ms since the epoch (UTC).
 *
 * What differs, and why:
 * - `raw_events` is partitioned by LIST (`source`: sdk | pixel, their retentions differ) and then
 *   by RANGE of `received_at` per UTC day, so retention drops whole days (`partitions.ts`).
 *   Partitions are created ahead, on demand, for today and tomorrow.
 * - Idempotency cannot be a unique index on `raw_events` (a partitioned table's unique keys must
 *   contain the partition key, and a retry arrives on another day than the original), so
 *   `event_ids` holds `(org, event_id)` as its primary key; `append` inserts there first and
 *   stores only the events that were new. It is purged with the SDK retention.
 * - Text columns use the "C" collation: keys and periods (`2025-05-10T14`) compare byte by byte,
 *   as on SQLite, whatever the database's default locale.
 * - `outbox` carries a copy of the event, so a processor reads its claim without joining the
 *   partitioned table; it is deleted once applied.
 * - The read models (`rm_entities`, `rm_sums`, `rm_sketches`, `rm_contents`, migration 3) match SQLite's migration 4,
 *   `rm_fill` (whether they still have to be filled from the raw events) SQLite's `rm_fill`.
 */
export const migrations: readonly string[] = [
  `
  CREATE SEQUENCE raw_events_seq;

  CREATE TABLE raw_events (
    seq         bigint NOT NULL DEFAULT nextval('raw_events_seq'),
    org         text COLLATE "C" NOT NULL,
    env         text COLLATE "C" NOT NULL,
    kind        text COLLATE "C" NOT NULL,
    content_id  text COLLATE "C" NOT NULL,
    ts          bigint NOT NULL,
    event_id    text COLLATE "C" NOT NULL,
    session_id  text COLLATE "C" NOT NULL,
    client_id   text COLLATE "C" NOT NULL,
    type        text COLLATE "C" NOT NULL,
    source      text COLLATE "C" NOT NULL,
    received_at bigint NOT NULL,
    json        text COLLATE "C" NOT NULL
  ) PARTITION BY LIST (source);
  CREATE TABLE raw_events_sdk PARTITION OF raw_events FOR VALUES IN ('sdk') PARTITION BY RANGE (received_at);
  CREATE TABLE raw_events_pixel PARTITION OF raw_events FOR VALUES IN ('pixel') PARTITION BY RANGE (received_at);
  CREATE INDEX raw_events_content ON raw_events (org, kind, content_id, ts, event_id);
  CREATE INDEX raw_events_ts ON raw_events (ts, seq);
  CREATE INDEX raw_events_seq_idx ON raw_events (seq);

  CREATE TABLE event_ids (
    org         text COLLATE "C" NOT NULL,
    event_id    text COLLATE "C" NOT NULL,
    received_at bigint NOT NULL,
    PRIMARY KEY (org, event_id)
  );
  CREATE INDEX event_ids_received ON event_ids (received_at);

  CREATE TABLE outbox (
    seq         bigserial PRIMARY KEY,
    raw_seq     bigint NOT NULL,
    org         text COLLATE "C" NOT NULL,
    env         text COLLATE "C" NOT NULL,
    kind        text COLLATE "C" NOT NULL,
    content_id  text COLLATE "C" NOT NULL,
    ts          bigint NOT NULL,
    event_id    text COLLATE "C" NOT NULL,
    session_id  text COLLATE "C" NOT NULL,
    client_id   text COLLATE "C" NOT NULL,
    type        text COLLATE "C" NOT NULL,
    source      text COLLATE "C" NOT NULL,
    received_at bigint NOT NULL,
    json        text COLLATE "C" NOT NULL
  );
  CREATE INDEX outbox_raw_seq ON outbox (raw_seq);

  CREATE TABLE counters (
    org         text COLLATE "C" NOT NULL,
    env         text COLLATE "C" NOT NULL,
    kind        text COLLATE "C" NOT NULL,
    content_id  text COLLATE "C" NOT NULL,
    granularity text COLLATE "C" NOT NULL,
    period      text COLLATE "C" NOT NULL,
    metric      text COLLATE "C" NOT NULL,
    dim         text COLLATE "C" NOT NULL,
    value       bigint NOT NULL,
    PRIMARY KEY (org, env, kind, content_id, granularity, period, metric, dim)
  );

  CREATE TABLE activity (
    org        text COLLATE "C" NOT NULL,
    env        text COLLATE "C" NOT NULL,
    client_id  text COLLATE "C" NOT NULL,
    session_id text COLLATE "C" NOT NULL,
    kind       text COLLATE "C" NOT NULL,
    content_id text COLLATE "C" NOT NULL,
    ts         bigint NOT NULL,
    event_id   text COLLATE "C" NOT NULL,
    type       text COLLATE "C" NOT NULL,
    detail     text COLLATE "C" NOT NULL,
    PRIMARY KEY (org, client_id, ts, event_id)
  );
  CREATE INDEX activity_content ON activity (org, kind, content_id, ts);
  CREATE INDEX activity_session ON activity (org, session_id, ts);
  CREATE INDEX activity_ts ON activity (ts);

  CREATE TABLE pixel_records (
    org           text COLLATE "C" NOT NULL,
    kind          text COLLATE "C" NOT NULL,
    id            text COLLATE "C" NOT NULL,
    site          text COLLATE "C" NOT NULL,
    sid           text COLLATE "C" NOT NULL,
    uid           text COLLATE "C" NOT NULL,
    eid           text COLLATE "C" NOT NULL,
    unixtimestamp bigint NOT NULL,
    props         text COLLATE "C" NOT NULL,
    PRIMARY KEY (org, kind, id)
  );
  CREATE INDEX pixel_records_ts ON pixel_records (unixtimestamp);

  CREATE TABLE journey_settings (
    org             text COLLATE "C" NOT NULL,
    journey         text COLLATE "C" NOT NULL,
    allowed_origins text COLLATE "C" NOT NULL,
    updated_at      bigint NOT NULL,
    PRIMARY KEY (org, journey)
  );
  `,
  // the analytics API's audit log (SQLite creates it on first use)
  `
  CREATE TABLE audit_log (
    id     bigserial PRIMARY KEY,
    org    text COLLATE "C" NOT NULL,
    ts     bigint NOT NULL,
    actor  text   NOT NULL,
    action text   NOT NULL,
    target text   NOT NULL,
    detail text   NOT NULL
  );
  CREATE INDEX audit_log_org ON audit_log (org, id);
  `,
  // the dashboard's pixel sites: sessions and users of a site active in a window, by index range
  `CREATE INDEX pixel_records_site ON pixel_records (org, site, kind, unixtimestamp);`,
  // failure isolation and erasure (as on SQLite)
  `
  CREATE TABLE dead_letters (
    id          bigserial PRIMARY KEY,
    raw_seq     bigint NOT NULL UNIQUE,
    org         text COLLATE "C" NOT NULL,
    env         text COLLATE "C" NOT NULL,
    event_id    text COLLATE "C" NOT NULL,
    type        text COLLATE "C" NOT NULL,
    source      text COLLATE "C" NOT NULL,
    ts          bigint NOT NULL,
    received_at bigint NOT NULL,
    session_id  text COLLATE "C" NOT NULL,
    client_id   text COLLATE "C" NOT NULL,
    error_code  text NOT NULL,
    error       text NOT NULL,
    failed_at   bigint NOT NULL,
    attempts    integer NOT NULL DEFAULT 1
  );
  CREATE INDEX dead_letters_org ON dead_letters (org, id);
  CREATE INDEX dead_letters_client ON dead_letters (org, client_id);
  CREATE TABLE tombstones (
    org        text COLLATE "C" NOT NULL,
    client_id  text COLLATE "C" NOT NULL,
    deleted_at bigint NOT NULL,
    PRIMARY KEY (org, client_id)
  );
  `,
  // read models kept by the processor (rollups/readmodel.ts), read by every analytics answer
  `
  CREATE TABLE rm_entities (
    org        text COLLATE "C" NOT NULL,
    env        text COLLATE "C" NOT NULL,
    kind       text COLLATE "C" NOT NULL,
    content_id text COLLATE "C" NOT NULL,
    entity_id  text COLLATE "C" NOT NULL,
    client_id  text COLLATE "C" NOT NULL,
    start_ts   bigint NOT NULL,
    end_ts     bigint,
    state      text NOT NULL,
    PRIMARY KEY (org, env, kind, content_id, entity_id)
  );
  CREATE INDEX rm_entities_client ON rm_entities (org, client_id);
  CREATE TABLE rm_sums (
    org        text COLLATE "C" NOT NULL,
    env        text COLLATE "C" NOT NULL,
    kind       text COLLATE "C" NOT NULL,
    content_id text COLLATE "C" NOT NULL,
    metric     text COLLATE "C" NOT NULL,
    gran       text COLLATE "C" NOT NULL,
    bucket     bigint NOT NULL,
    dim        text COLLATE "C" NOT NULL,
    value      bigint NOT NULL,
    PRIMARY KEY (org, env, kind, content_id, metric, gran, bucket, dim)
  );
  CREATE TABLE rm_sketches (
    org        text COLLATE "C" NOT NULL,
    env        text COLLATE "C" NOT NULL,
    kind       text COLLATE "C" NOT NULL,
    content_id text COLLATE "C" NOT NULL,
    metric     text COLLATE "C" NOT NULL,
    gran       text COLLATE "C" NOT NULL,
    bucket     bigint NOT NULL,
    dim        text COLLATE "C" NOT NULL,
    counts     bytea NOT NULL,
    PRIMARY KEY (org, env, kind, content_id, metric, gran, bucket, dim)
  );
  CREATE TABLE rm_contents (
    org        text COLLATE "C" NOT NULL,
    env        text COLLATE "C" NOT NULL,
    kind       text COLLATE "C" NOT NULL,
    content_id text COLLATE "C" NOT NULL,
    PRIMARY KEY (org, env, kind, content_id)
  );
  `,
  // Indexes whose order is the order of the paged reads, so that every page is one index range
  // whatever the statistics say: the export reads one org and env in (ts, seq) order, the activity
  // feed by session or content in (ts, event_id) order, and erasure finds a user's events. The
  // (ts, seq) index only served the export; retention's ts ranges need ts alone. No read uses
  // event_ids by received_at (retention deletes ids through the rows it drops).
  `
  DROP INDEX event_ids_received;
  CREATE INDEX raw_events_export ON raw_events (org, env, ts, seq);
  CREATE INDEX raw_events_client ON raw_events (org, client_id);
  DROP INDEX raw_events_ts;
  CREATE INDEX raw_events_ts ON raw_events (ts);
  CREATE INDEX activity_session_page ON activity (org, session_id, ts, event_id);
  CREATE INDEX activity_content_page ON activity (org, kind, content_id, ts, event_id);
  DROP INDEX activity_session;
  DROP INDEX activity_content;
  `,
  // read models of an installation that had raw events before them: filled when the collector starts
  `
  CREATE TABLE rm_fill (
    id      integer PRIMARY KEY CHECK (id = 1),
    pending boolean NOT NULL
  );
  INSERT INTO rm_fill (id, pending)
    SELECT 1, EXISTS (SELECT 1 FROM raw_events) AND NOT EXISTS (SELECT 1 FROM rm_entities) AND NOT EXISTS (SELECT 1 FROM rm_sums);
  `,
];

/** The partitioned leaf parents, one per `source`; daily partitions hang below them. */
export const RAW_PARENTS = { sdk: 'raw_events_sdk', pixel: 'raw_events_pixel' } as const;
