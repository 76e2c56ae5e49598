/**
 * The one place that says what a store error means, for both engines:
 * - `data`: the rows themselves cannot be stored (a value out of range, a constraint, a value the
 *   encoding refuses, an index entry too large). Retrying the same rows fails the same way: ingest
 *   answers `400`, the processor moves the entry to the dead letters.
 * - `transient`: the store, not the data (connection lost, lock or deadlock, busy, disk, shutdown, a
 *   closed connection, a missing table). Ingest answers `503` with `Retry-After`, the processor
 *   retries with backoff.
 * - `unknown`: anything else, i.e. an exception of our own code. Ingest answers `503` (the client
 *   keeps the batch; nothing is lost); the processor treats it like `data` for the entry that
 *   raises it, so one event that trips a bug cannot hold back every other one.
 */
export type StoreErrorKind = 'data' | 'transient' | 'unknown';

/**
 * PostgreSQL SQLSTATE classes caused by the data: 22 data exception (invalid encoding, numeric out
 * of range, invalid text representation…), 23 integrity constraint violation, 54 program limit
 * exceeded (index row size), P0 a PL/pgSQL `RAISE` (a trigger refusing a row).
 */
const PG_DATA_CLASSES = new Set(['22', '23', '54', 'P0']);
/** `no partition of relation … found for row` is class 23 but means a partition is missing: the store's problem. */
const PG_MISSING_PARTITION = /no partition of relation/i;

/** SQLite result codes caused by the data (extended codes start with these). */
const SQLITE_DATA = ['SQLITE_CONSTRAINT', 'SQLITE_TOOBIG', 'SQLITE_MISMATCH'];

/** Errors of the drivers that carry no code: a dropped connection, a closed pool or database. */
const DRIVER_TRANSIENT = [
  /connection terminated/i,
  /connection error/i,
  /timeout exceeded when trying to connect/i,
  /pool after calling end/i,
  /not queryable/i,
  /client was closed/i,
  /database connection is not open/i, // better-sqlite3 after close()
  /connection (is )?(closed|refused|reset)/i,
];

/** PostgreSQL's `no partition of relation … found for row` (a partition dropped behind a cache). */
export const isMissingPartition = (err: unknown): boolean =>
  (err as { code?: unknown } | null)?.code === '23514' && PG_MISSING_PARTITION.test(String((err as { message?: unknown }).message));

/** What `err` means; see the module comment. */
export function classifyStoreError(err: unknown): StoreErrorKind {
  const code = (err as { code?: unknown } | null)?.code;
  const message = String((err as { message?: unknown } | null)?.message ?? err);
  if (typeof code === 'string') {
    if (code.startsWith('SQLITE_')) return SQLITE_DATA.some((c) => code.startsWith(c)) ? 'data' : 'transient';
    if (/^[0-9A-Z]{5}$/.test(code)) {
      // an SQLSTATE (node-postgres DatabaseError)
      if (PG_DATA_CLASSES.has(code.slice(0, 2)) && !isMissingPartition(err)) return 'data';
      return 'transient';
    }
    if (/^E[A-Z0-9_]+$/.test(code)) return 'transient'; // a Node system error: ECONNRESET, ETIMEDOUT…
  }
  if (DRIVER_TRANSIENT.some((re) => re.test(message))) return 'transient';
  return 'unknown';
}

/** A short, storable description of a failure: its code (SQLSTATE, SQLite code, error name) and message. */
export function describeStoreError(err: unknown): { code: string; message: string } {
  const e = err as { code?: unknown; name?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : typeof e?.name === 'string' ? e.name : 'Error';
  // kept storable itself: cut first, then no NUL and no half of a surrogate pair
  const message = String(e?.message ?? err)
    .slice(0, 1000)
    .replace(/\u0000/g, '\\0')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
  return { code: code.slice(0, 64), message };
}
