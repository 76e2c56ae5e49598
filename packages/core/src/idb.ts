/**
 * `@waymark/core/idb`: the durable retry queue in IndexedDB, through idb-keyval.
 * A separate entry point so that Node builds never import idb-keyval.
 */
import { createStore, del, set, values, type UseStore } from 'idb-keyval';
import type { QueueStore, QueuedBatch } from './types';

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
 * missing or throws, the methods reject and the tracker falls back to memory.
 * Keys sort by creation time, and IndexedDB returns values in key order: oldest first.
 */
export function createIdbQueueStore(o: IdbQueueStoreOptions = {}): QueueStore {
  let s: UseStore | undefined;
  const db = () => (s ||= createStore(o.dbName || 'waymark', o.storeName || 'queue'));
  return {
    put: async (b) => set(b.key, b, db()),
    list: async () => values<QueuedBatch>(db()),
    remove: async (k) => del(k, db()),
  };
}
