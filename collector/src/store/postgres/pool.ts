import pg from 'pg';

/** How to reach PostgreSQL. */
export interface PostgresConnectionOptions {
  /** `postgres://user@host:port/db`; a `?options=-c search_path=…` in it is honoured. */
  url: string;
  /**
   * Schema to work in (created if missing; every statement runs with `search_path` set to it).
   * Default: the URL's search_path, else `public`. Tests give each file its own.
   */
  schema?: string;
  /** Pool size. Default 10. */
  max?: number;
}

/**
 * bigint (counts, ms timestamps, sequence numbers) and numeric (`SUM(bigint)`) parsed as JS
 * numbers instead of strings: every value we store fits well within 2^53. Per pool, so other
 * users of `pg` in the same process keep the defaults.
 */
const numericTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 20 || oid === 1700) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format as 'text');
  },
} as pg.CustomTypesConfig;

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Quotes a schema name after checking it, so it can be spliced into DDL. */
export function quoteSchema(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new Error(`expected a PostgreSQL schema name (lower-case letters, digits, _), got ${JSON.stringify(schema)}`);
  }
  return `"${schema}"`;
}

/**
 * Opens a pool whose connections all use `schema` first on their search_path. The schema is
 * set as a startup option, not with `SET`, so a connection can never run a statement before it.
 */
export function createPool(opts: PostgresConnectionOptions): pg.Pool {
  const config: pg.PoolConfig = { connectionString: opts.url, max: opts.max ?? 10, types: numericTypes };
  if (opts.schema) {
    quoteSchema(opts.schema);
    config.options = `-c search_path=${opts.schema}`;
  }
  const pool = new pg.Pool(config);
  // An idle client losing its connection must not crash the process; the next query reports it.
  pool.on('error', () => {});
  return pool;
}

/** Runs `fn` in one transaction on one client; rolls back when it throws. */
export async function inTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

/** True for URLs this store handles (`postgres://` or `postgresql://`). */
export function isPostgresUrl(url: string | undefined): url is string {
  return !!url && /^postgres(ql)?:\/\//i.test(url);
}
