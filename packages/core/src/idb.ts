/**
 * `@waymark/core/idb`: the durable retry queue in IndexedDB, through idb-keyval.
 * A separate entry point so that Node builds never import idb-keyval.
 */
import { createStore, promisifyRequest as req, type UseStore } from 'idb-keyval';
import type { QueueStore, QueuedBatch } from './types';
import { EMBED } from './build';

/** Options of {@link createIdbQueueStore}. */
export interface IdbQueueStoreOptions {
  /** database name; default `waymark` */
  dbName?: string;
  /** object store name; default `queue` */
  storeName?: string;
}

/**
 * A {@link QueueStore} in its own IndexedDB database (never idb-keyval's default store).
 * The database opens on first use, so creating the store touches nothing; where IndexedDB is
 * missing or throws, the methods throw or reject and the tracker falls back to memory.
 * Keys sort by creation time and `getAll` returns values in key order: oldest first.
 */
export function createIdbQueueStore(o: IdbQueueStoreOptions = {}): QueueStore {
  let s: UseStore | undefined;
  const db = <T>(mode: IDBTransactionMode, f: (os: IDBObjectStore) => T | PromiseLike<T>) =>
    (s ||= EMBED ? createStore('waymark', 'queue') : createStore(o.dbName || 'waymark', o.storeName || 'queue'))(mode, f);
  // writes resolve when their transaction commits: a batch counts as stored only once it is
  const write = (f: (os: IDBObjectStore) => void) => db('readwrite', (os) => (f(os), req(os.transaction)));
  return {
    put: (b) => write((os) => os.put(b, b.key)),
    list: () => db('readonly', (os) => req(os.getAll() as IDBRequest<QueuedBatch[]>)),
    remove: (k) => write((os) => os.delete(k)),
  };
}
