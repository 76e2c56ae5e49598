/**
 * An on-disk spool directory implementing the core's {@link QueueStore}: one file per batch,
 * written atomically (temporary file, fsync, rename, fsync of the directory), so that a batch
 * that was put survives a crash, a SIGKILL or a power cut, and a batch file is never half written.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeFileSync } from 'node:fs';
import { readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { QueuedBatch, QueueStore } from '@waymark/core';

const SUFFIX = '.batch.json';
const TMP_PREFIX = '.tmp-';
/** A temporary file older than this was left by a crashed writer. */
const STALE_TMP_MS = 60_000;

/** Options of {@link createSpool}. */
export interface SpoolOptions {
  /** the spool directory; created (recursively) when missing */
  dir: string;
  /** called with files that could not be read back (they are moved aside as `*.corrupt`) */
  onCorrupt?: (file: string, error: unknown) => void;
}

/** A spool: the core's QueueStore plus the directory it lives in. */
export interface Spool extends QueueStore {
  readonly dir: string;
}

// Batch keys become file names: only the characters our own keys use are allowed.
const SAFE_KEY = /^[A-Za-z0-9_-]{1,128}$/;

function assertKey(key: string): void {
  if (!SAFE_KEY.test(key)) throw new Error(`expected a batch key of letters, digits, "-" or "_", got ${JSON.stringify(key)}`);
}

function fsyncDirSync(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    /* not supported here */
  }
}

function isBatch(value: unknown): value is QueuedBatch {
  const b = value as QueuedBatch;
  return !!b && typeof b.key === 'string' && typeof b.body === 'string' && typeof b.count === 'number';
}

/**
 * Creates (or reopens) a spool directory. Batches put by an earlier process are listed, oldest
 * first, by the next one: that is how a crashed or stopped process hands over what it could not send.
 */
export function createSpool(options: SpoolOptions): Spool {
  const { dir, onCorrupt } = options;
  if (typeof dir !== 'string' || dir === '') throw new Error(`expected spool.dir to be a directory path, got ${JSON.stringify(dir)}`);
  mkdirSync(dir, { recursive: true });
  let seq = 0;

  /**
   * Written synchronously: when `flush()` returns to its caller, every batch it took is on disk,
   * so a SIGKILL at any later moment loses none of them (the queue sends nothing before that).
   */
  function write(batch: QueuedBatch): Promise<void> {
    try {
      assertKey(batch.key);
      const tmp = join(dir, `${TMP_PREFIX}${process.pid}-${++seq}-${batch.key}`);
      const fd = openSync(tmp, 'w', 0o600);
      try {
        writeFileSync(fd, JSON.stringify(batch));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, join(dir, batch.key + SUFFIX));
      fsyncDirSync(dir);
      return Promise.resolve();
    } catch (err) {
      return Promise.reject(err);
    }
  }

  async function sweepTemporary(name: string): Promise<void> {
    const file = join(dir, name);
    try {
      const info = await stat(file);
      if (Date.now() - info.mtimeMs > STALE_TMP_MS) await unlink(file);
    } catch {
      /* already gone */
    }
  }

  async function read(name: string): Promise<QueuedBatch | undefined> {
    const file = join(dir, name);
    try {
      const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
      if (isBatch(parsed)) return parsed;
      throw new Error('not a queued batch');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined; // removed meanwhile
      onCorrupt?.(file, err);
      await rename(file, `${file}.corrupt`).catch(() => undefined);
      return undefined;
    }
  }

  return {
    dir,
    put: write,
    async list() {
      const names = await readdir(dir);
      const batches: QueuedBatch[] = [];
      for (const name of names.sort()) {
        if (name.startsWith(TMP_PREFIX)) await sweepTemporary(name);
        else if (name.endsWith(SUFFIX)) {
          const batch = await read(name);
          if (batch) batches.push(batch);
        }
      }
      // Keys sort by creation; file names already do, but a batch's own key is the truth.
      return batches.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    },
    async remove(key) {
      assertKey(key);
      try {
        await unlink(join(dir, key + SUFFIX));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    },
  };
}
