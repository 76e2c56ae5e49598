/**
 * `@waymark/node`: the Waymark tracker for servers, jobs and back-ends (Node 20 and later),
 * an Express / Connect page-view middleware, and the raw-URL pixel helpers.
 */
export { createNodeTracker, init } from './client';
export { createHttpTransport, classifyResponse, parseRetryAfter, type HttpTransport, type HttpTransportOptions } from './http-transport';
export { createSpool, type Spool, type SpoolOptions } from './spool';
export { pageViews, type PageRequest, type PageViewOptions } from './middleware';
export {
  buildPixelUrl,
  sendPixelEvent,
  encodePixelProperties,
  PixelError,
  PIXEL_EID_HEADER,
  MAX_PIXEL_URL,
  type PixelPath,
  type PixelProperties,
  type PixelUrlOptions,
  type PixelValue,
  type SendPixelOptions,
} from './pixel';
export type { CustomProps, NodeTracker, NodeTrackerOptions, ScopedTracker, ShutdownResult, TrackContext } from './types';
export { VERSION } from './version';
