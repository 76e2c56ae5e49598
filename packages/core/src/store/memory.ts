import type { KeyValueStorage, QueueStore, QueuedBatch } from '../types';

/** A {@link QueueStore} in memory: what the tracker falls back to when no durable store works. */
export function createMemoryQueueStore(): QueueStore {
  const m = new Map<string, QueuedBatch>();
  return {
    put: async (b) => void m.set(b.key, b),
    list: async () => [...m.values()].sort((a, b) => (a.key < b.key ? -1 : 1)),
    remove: async (k) => void m.delete(k),
  };
}

/** A {@link KeyValueStorage} in memory (ids then last as long as the page or process). */
export function createMemoryStorage(): KeyValueStorage {
  const m = new Map<string, string>();
  return {
    get: (k) => m.get(k) ?? null,
    set: (k, v) => void m.set(k, v),
    remove: (k) => void m.delete(k),
  };
}

/**
 * Wraps a storage that may throw (Safari private mode, blocked storage, quota): on its first
 * error the tracker continues in memory instead of failing.
 */
export function safeStorage(s?: KeyValueStorage): KeyValueStorage {
  const mem = createMemoryStorage();
  let cur = s || mem;
  const run = <T>(f: (x: KeyValueStorage) => T): T => {
    try {
      return f(cur);
    } catch {
      cur = mem;
      return f(mem);
    }
  };
  return {
    get: (k) => run((x) => x.get(k)),
    set: (k, v) => run((x) => x.set(k, v)),
    remove: (k) => run((x) => x.remove(k)),
  };
}
