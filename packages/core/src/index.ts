/**
 * `@waymark/core`: the tracker every Waymark SDK shares.
 * Platform-neutral: nothing here touches a DOM or Node global at import time.
 */
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
