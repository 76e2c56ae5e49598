import type { KeyValueStorage, QueueStore, QueuedBatch } from '../types';

/** A {@link QueueStore} in memory: what the tracker falls back to when no durable store works. */
export function createMemoryQueueStore(): QueueStore {
  const m = new Map<string, QueuedBatch>();
  return {
    put: async (b) => void m.set(b.key, b),
    // a Map keeps insertion order, and keys are added in creation order: oldest first
    list: async () => [...m.values()],
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
