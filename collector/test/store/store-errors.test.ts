// waymark-test-store: both-engines
/**
 * `classifyStoreError` against real errors of both engines (not hand-made codes): what the data
 * causes is `data` (ingest 400, processor dead letter), what the store causes is `transient`
 * (ingest 503, processor backoff), our own exceptions are `unknown`.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyStoreError, describeStoreError } from '../../src/store/errors';
import { createTestSchema, findPostgres, type TestSchema } from '../postgres/pg-test-db';

const caught = async (fn: () => unknown): Promise<unknown> => {
  try {
    await fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
};

describe('SQLite errors', () => {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t (k TEXT PRIMARY KEY, n INTEGER NOT NULL CHECK (n >= 0))');
  afterAll(() => db.close());

  it('constraints are data', async () => {
    db.prepare('INSERT INTO t VALUES (?, ?)').run('a', 1);
    expect(classifyStoreError(await caught(() => db.prepare('INSERT INTO t VALUES (?, ?)').run('a', 1)))).toBe('data');
    expect(classifyStoreError(await caught(() => db.prepare('INSERT INTO t VALUES (?, ?)').run('b', -1)))).toBe('data');
    expect(classifyStoreError(await caught(() => db.prepare('INSERT INTO t VALUES (?, ?)').run('c', null)))).toBe('data');
  });

  it('busy, a missing table and a closed connection are transient', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wm-err-'));
    const a = new Database(join(dir, 'x.db'));
    const b = new Database(join(dir, 'x.db'), { timeout: 0 });
    a.exec('CREATE TABLE t (k)');
    a.exec('BEGIN IMMEDIATE');
    const busy = await caught(() => b.exec('BEGIN IMMEDIATE'));
    expect([(busy as { code: string }).code, classifyStoreError(busy)]).toEqual(['SQLITE_BUSY', 'transient']);
    a.exec('ROLLBACK');
    expect(classifyStoreError(await caught(() => a.prepare('SELECT * FROM missing').all()))).toBe('transient');
    a.close();
    b.close();
    expect(classifyStoreError(await caught(() => a.prepare('SELECT 1').get()))).toBe('transient');
    rmSync(dir, { recursive: true, force: true });
  });

  it('our own exceptions are unknown', async () => {
    expect(classifyStoreError(await caught(() => JSON.parse('{')))).toBe('unknown');
    expect(classifyStoreError(new TypeError("Cannot read properties of undefined (reading 'x')"))).toBe('unknown');
  });
});

const available = await findPostgres();
describe.skipIf(!available)('PostgreSQL errors', () => {
  let t: TestSchema;
  let pool: pg.Pool;
  beforeAll(async () => {
    t = (await createTestSchema('wmerr'))!;
    pool = new pg.Pool({ connectionString: t.url, options: `-c search_path=${t.schema}`, max: 3 });
    await pool.query('CREATE TABLE t (k text PRIMARY KEY, n int CHECK (n >= 0))');
    await pool.query('CREATE TABLE p (k text, d int) PARTITION BY RANGE (d)');
  });
  afterAll(async () => {
    await pool?.end();
    await t?.drop();
  });

  it('invalid encoding, constraints, out of range and index row size are data', async () => {
    for (const [sql, values, code] of [
      ['INSERT INTO t VALUES ($1, 1)', ['a\u0000b'], '22021'],
      ['INSERT INTO t VALUES ($1, -1)', ['a'], '23514'],
      ['INSERT INTO t VALUES ($1, $2)', ['b', 2 ** 40], '22003'],
      ['INSERT INTO t VALUES ($1, 1)', [Array.from({ length: 3000 }, (_, i) => String.fromCharCode(0x4e00 + ((i * 7919) % 20000))).join('')], '54000'],
    ] as const) {
      const err = await caught(() => pool.query(sql, [...values]));
      expect([(err as { code: string }).code, classifyStoreError(err)]).toEqual([code, 'data']);
    }
    await pool.query("INSERT INTO t VALUES ('dup', 1)");
    expect(classifyStoreError(await caught(() => pool.query("INSERT INTO t VALUES ('dup', 1)")))).toBe('data');
  });

  it('a missing partition, a lock timeout, a missing table and lost connections are transient', async () => {
    const noPartition = await caught(() => pool.query('INSERT INTO p VALUES ($1, 1)', ['x']));
    expect([(noPartition as { code: string }).code, classifyStoreError(noPartition)]).toEqual(['23514', 'transient']);
    const holder = await pool.connect();
    const waiter = await pool.connect();
    try {
      await holder.query("BEGIN; SELECT * FROM t WHERE k = 'dup' FOR UPDATE");
      await waiter.query("BEGIN; SET LOCAL lock_timeout = '50ms'");
      const lock = await caught(() => waiter.query("SELECT * FROM t WHERE k = 'dup' FOR UPDATE"));
      expect([(lock as { code: string }).code, classifyStoreError(lock)]).toEqual(['55P03', 'transient']);
    } finally {
      await waiter.query('ROLLBACK');
      await holder.query('ROLLBACK');
      holder.release();
      waiter.release();
    }
    expect(classifyStoreError(await caught(() => pool.query('SELECT * FROM missing')))).toBe('transient');
    const refused = new pg.Pool({ connectionString: 'postgres://postgres@127.0.0.1:1/test', connectionTimeoutMillis: 2000 });
    expect(classifyStoreError(await caught(() => refused.query('SELECT 1')))).toBe('transient');
    await refused.end();
    const ended = new pg.Pool({ connectionString: t.url });
    await ended.end();
    expect(classifyStoreError(await caught(() => ended.query('SELECT 1')))).toBe('transient');
    const killed = await pool.connect();
    const pid = (await killed.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    killed.on('error', () => {});
    await pool.query('SELECT pg_terminate_backend($1)', [pid]);
    const lost = await caught(() => killed.query('SELECT 1'));
    killed.release(true);
    expect(classifyStoreError(lost)).toBe('transient');
  });

  it('describes an error in a storable form', async () => {
    const err = await caught(() => pool.query('INSERT INTO t VALUES ($1, 1)', ['a\u0000b']));
    expect(describeStoreError(err)).toEqual({ code: '22021', message: 'invalid byte sequence for encoding "UTF8": 0x00' });
    expect(describeStoreError(new Error(`x\u0000${'é'.repeat(2000)}\uD800`)).message).toMatch(/^x\\0é+$/);
  });
});
