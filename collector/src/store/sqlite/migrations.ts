/**
 * SQLite schema, as ordered migrations. Each entry runs once, in a transaction, and bumps
 * `PRAGMA user_version`. Never edit a released migration: append a new one.
 *
 * Times are integers in ms since the epoch (UTC). Tables:
 * - `raw_events`: append-only, partition `(org, kind, content_id)` + sort `(ts, event_id)` like the
 *   `tenant#content` / `timestamp#id`; `(org, event_id)` is unique (idempotency).
 * - `outbox`: the newly stored raw events not counted yet, deleted by the processor once applied.
 *   Since migration 2 one row covers the `raw_events` seqs `raw_seq..raw_last` of one commit
 *   (a group commit inserts consecutive seqs); a row with `raw_last` NULL covers `raw_seq` alone.
 * - `counters`: hourly (`period` = `YYYY-MM-DDTHH`) and daily (`YYYY-MM-DD`) rollups per
 *   org × env × content × metric × dim; `dim` = '' is the content's total. Never purged.
 * - `activity`: the activity feed, indexed for its three access patterns (user, content, session).
 *   Dropped by migration 3: the feed is read from `raw_events` itself (indexed by content, and
 *   since then by client and by session); `activity_cutoff` holds the feed's retention cut-off.
 * - `pixel_records`: merged session (`kind` = 's') and user (`kind` = 'u') records of the pixel.
 * - `journey_settings`: run-time journey settings (`PUT /api/journeys/:journey`).
 * - `dead_letters`: events the processor could not apply, by raw seq, with the error.
 * - `tombstones`: erased users; their events arriving later are discarded at append.
 * - Read models (see `rollups/readmodel.ts`): `rm_entities` holds one state per journey
 *   session and per tour attempt; `rm_sums` the sums derived from those states and from single
 *   events (`rm_sketches` the DDSketch counts for medians, one row per bucket), per UTC day (`gran` 'd') and quarter hour ('q'), `bucket` = UTC ms of the bucket's start
 *   (since migration 9 only day rows, each holding its quarters, since migration 12 two per column in `h0` … `h47`:
 *   `quarter-columns.ts`);
 *   `rm_contents` every content that has sums (the overview and selector health list them). Never purged.
 * - `rm_fill`: one row; `pending` = 1 while the read models still have to be filled from the
 *   retained raw events (a file that had raw events before read models existed, or PostgreSQL
 *   after `migrate-data`). The collector fills them when it starts; `rebuild-rollups` clears it too.
 */
import { quarterColumnsMigration, pairedSumsMigration } from './quarter-columns';
import { pendingLogMigration } from './pending-deltas';
import { ENTITY_HOUR_MS } from './readmodel';

export const migrations: readonly string[] = [
  `
  CREATE TABLE raw_events (
    seq         INTEGER PRIMARY KEY,
    org         TEXT    NOT NULL,
    env         TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    content_id  TEXT    NOT NULL,
    ts          INTEGER NOT NULL,
    event_id    TEXT    NOT NULL,
    session_id  TEXT    NOT NULL,
    client_id   TEXT    NOT NULL,
    type        TEXT    NOT NULL,
    source      TEXT    NOT NULL,
    received_at INTEGER NOT NULL,
    json        TEXT    NOT NULL
  );
  CREATE UNIQUE INDEX raw_events_event_id ON raw_events (org, event_id);
  CREATE INDEX raw_events_content ON raw_events (org, kind, content_id, ts, event_id);
  CREATE INDEX raw_events_ts ON raw_events (ts);

  CREATE TABLE outbox (
    seq     INTEGER PRIMARY KEY,
    raw_seq INTEGER NOT NULL
  );

  CREATE TABLE counters (
    org         TEXT    NOT NULL,
    env         TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    content_id  TEXT    NOT NULL,
    granularity TEXT    NOT NULL,
    period      TEXT    NOT NULL,
    metric      TEXT    NOT NULL,
    dim         TEXT    NOT NULL,
    value       INTEGER NOT NULL,
    PRIMARY KEY (org, env, kind, content_id, granularity, period, metric, dim)
  ) WITHOUT ROWID;

  CREATE TABLE activity (
    org        TEXT    NOT NULL,
    env        TEXT    NOT NULL,
    client_id  TEXT    NOT NULL,
    session_id TEXT    NOT NULL,
    kind       TEXT    NOT NULL,
    content_id TEXT    NOT NULL,
    ts         INTEGER NOT NULL,
    event_id   TEXT    NOT NULL,
    type       TEXT    NOT NULL,
    detail     TEXT    NOT NULL,
    PRIMARY KEY (org, client_id, ts, event_id)
  ) WITHOUT ROWID;
  CREATE INDEX activity_content ON activity (org, kind, content_id, ts);
  CREATE INDEX activity_session ON activity (org, session_id, ts);
  CREATE INDEX activity_ts ON activity (ts);

  CREATE TABLE pixel_records (
    org           TEXT    NOT NULL,
    kind          TEXT    NOT NULL,
    id            TEXT    NOT NULL,
    site          TEXT    NOT NULL,
    sid           TEXT    NOT NULL,
    uid           TEXT    NOT NULL,
    eid           TEXT    NOT NULL,
    unixtimestamp INTEGER NOT NULL,
    props         TEXT    NOT NULL,
    PRIMARY KEY (org, kind, id)
  ) WITHOUT ROWID;
  CREATE INDEX pixel_records_ts ON pixel_records (unixtimestamp);

  CREATE TABLE journey_settings (
    org             TEXT    NOT NULL,
    journey         TEXT    NOT NULL,
    allowed_origins TEXT    NOT NULL,
    updated_at      INTEGER NOT NULL,
    PRIMARY KEY (org, journey)
  ) WITHOUT ROWID;
  `,
  // one outbox row per commit instead of one per event: a range of consecutive raw seqs
  `ALTER TABLE outbox ADD COLUMN raw_last INTEGER;`,
  // the activity feed is read from the raw events: two narrow indexes instead of a second copy of
  // every event in four B-trees (the content index already exists); the feed's own retention
  // (retention.activityDays) is a cut-off kept by the purge
  `
  CREATE INDEX raw_events_client ON raw_events (org, client_id, ts);
  CREATE INDEX raw_events_session ON raw_events (org, session_id, ts);
  DROP TABLE activity;
  CREATE TABLE activity_cutoff (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    ts INTEGER NOT NULL
  );
  `,
  // the dashboard's pixel sites: sessions and users of a site active in a window, by index range
  `CREATE INDEX pixel_records_site ON pixel_records (org, site, kind, unixtimestamp);`,
  // failure isolation and erasure: events the processor cannot apply (by raw seq; the raw event
  // stays), and erased users (org + clientId / pixel uid) whose later events are discarded
  `
  CREATE TABLE dead_letters (
    id          INTEGER PRIMARY KEY,
    raw_seq     INTEGER NOT NULL UNIQUE,
    org         TEXT    NOT NULL,
    env         TEXT    NOT NULL,
    event_id    TEXT    NOT NULL,
    type        TEXT    NOT NULL,
    source      TEXT    NOT NULL,
    ts          INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    session_id  TEXT    NOT NULL,
    client_id   TEXT    NOT NULL,
    error_code  TEXT    NOT NULL,
    error       TEXT    NOT NULL,
    failed_at   INTEGER NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 1
  );
  CREATE INDEX dead_letters_org ON dead_letters (org, id);
  CREATE INDEX dead_letters_client ON dead_letters (org, client_id);
  CREATE TABLE tombstones (
    org        TEXT    NOT NULL,
    client_id  TEXT    NOT NULL,
    deleted_at INTEGER NOT NULL,
    PRIMARY KEY (org, client_id)
  ) WITHOUT ROWID;
  `,
  // read models kept by the processor (rollups/readmodel.ts), read by every analytics answer
  `
  CREATE TABLE rm_entities (
    org        TEXT    NOT NULL,
    env        TEXT    NOT NULL,
    kind       TEXT    NOT NULL,
    content_id TEXT    NOT NULL,
    entity_id  TEXT    NOT NULL,
    client_id  TEXT    NOT NULL,
    start_ts   INTEGER NOT NULL,
    end_ts     INTEGER,
    state      TEXT    NOT NULL,
    PRIMARY KEY (org, env, kind, content_id, entity_id)
  ) WITHOUT ROWID;
  CREATE INDEX rm_entities_client ON rm_entities (org, client_id);
  CREATE TABLE rm_sums (
    org        TEXT    NOT NULL,
    env        TEXT    NOT NULL,
    kind       TEXT    NOT NULL,
    content_id TEXT    NOT NULL,
    metric     TEXT    NOT NULL,
    gran       TEXT    NOT NULL,
    bucket     INTEGER NOT NULL,
    dim        TEXT    NOT NULL,
    value      INTEGER NOT NULL,
    PRIMARY KEY (org, env, kind, content_id, metric, gran, bucket, dim)
  ) WITHOUT ROWID;
  CREATE TABLE rm_sketches (
    org        TEXT    NOT NULL,
    env        TEXT    NOT NULL,
    kind       TEXT    NOT NULL,
    content_id TEXT    NOT NULL,
    metric     TEXT    NOT NULL,
    gran       TEXT    NOT NULL,
    bucket     INTEGER NOT NULL,
    dim        TEXT    NOT NULL,
    counts     BLOB    NOT NULL,
    PRIMARY KEY (org, env, kind, content_id, metric, gran, bucket, dim)
  ) WITHOUT ROWID;
  CREATE TABLE rm_contents (
    org        TEXT NOT NULL,
    env        TEXT NOT NULL,
    kind       TEXT NOT NULL,
    content_id TEXT NOT NULL,
    PRIMARY KEY (org, env, kind, content_id)
  ) WITHOUT ROWID;
  `,
  // the export reads one org and env in (ts, seq) order: (org, env, ts) ends in the rowid, which
  // is seq, so every page is one range of this index whatever else the file holds
  `CREATE INDEX raw_events_export ON raw_events (org, env, ts);`,
  // read models of an installation that had raw events before them: filled when the collector starts
  `
  CREATE TABLE rm_fill (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    pending INTEGER NOT NULL
  );
  INSERT INTO rm_fill (id, pending)
    SELECT 1, EXISTS (SELECT 1 FROM raw_events) AND NOT EXISTS (SELECT 1 FROM rm_entities) AND NOT EXISTS (SELECT 1 FROM rm_sums);
  `,
  // quarter-hour sums as columns of their day row: half the rows a claim writes (quarter-columns.ts)
  quarterColumnsMigration(),
  // the entities keyed by session id first (the SDK's ids are UUID v7: a new session sorts after
  // the others) and their client index led by the hour they started: a claim's new sessions and
  // attempts go into the last pages of both instead of one page per content and one random page
  // each (every page a claim changes is written to the WAL and checkpointed, rows are what it
  // costs least); a deletion by user seeks the user in each hour that has entities (readmodel.ts)
  `
  CREATE TABLE rm_entities_by_id (
    org        TEXT    NOT NULL,
    env        TEXT    NOT NULL,
    kind       TEXT    NOT NULL,
    content_id TEXT    NOT NULL,
    entity_id  TEXT    NOT NULL,
    client_id  TEXT    NOT NULL,
    start_ts   INTEGER NOT NULL,
    end_ts     INTEGER,
    state      TEXT    NOT NULL,
    PRIMARY KEY (org, entity_id, env, kind, content_id)
  ) WITHOUT ROWID;
  INSERT INTO rm_entities_by_id (org, env, kind, content_id, entity_id, client_id, start_ts, end_ts, state)
    SELECT org, env, kind, content_id, entity_id, client_id, start_ts, end_ts, state FROM rm_entities ORDER BY org, entity_id, env, kind, content_id;
  DROP TABLE rm_entities;
  ALTER TABLE rm_entities_by_id RENAME TO rm_entities;
  CREATE INDEX rm_entities_client_hour ON rm_entities (org, start_ts / ${ENTITY_HOUR_MS}, client_id);
  `,
  // quarter sums two per column, sketches in a rowid table (cheaper updates: pairedSumsMigration)
  pairedSumsMigration(),
  // the read models' delta log, merged into the sums every few thousand deltas (pending-deltas.ts)
  pendingLogMigration,
];
