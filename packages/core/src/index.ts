/**
 * `@waymark/core`: the tracker every Waymark SDK shares.
 * Platform-neutral: nothing here touches a DOM or Node global at import time.
 */
export { createTracker } from './tracker';
export { createFetchTransport, type FetchTransportOptions } from './transport/fetch';
export { createBeaconTransport, type BeaconTransportOptions } from './transport/beacon';
export { parseRetryAfter } from './transport/response';
export { createMemoryQueueStore, createMemoryStorage } from './store/memory';
export { uuid } from './ids';
export type * from './types';
export type {
  Batch,
  BatchContext,
  BatchError,
  CustomEvent,
  DeviceClass,
  Environment,
  EventOf,
  EventProps,
  KnownEvent,
  KnownEventType,
  ValidBatch,
  WaymarkEvent,
} from './events';
export { fromStatus } from './transport/response';
export { retryDelay } from './backoff';
