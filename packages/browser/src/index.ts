/**
 * `@waymark/browser`: the Waymark browser SDK. Safe to import during server-side rendering.
 * @packageDocumentation
 */
export { init, track, getTracker, type BrowserOptions, type BrowserTracker } from './sdk';
export { resolveTarget, tourTracker, contentTracker, type ResolveTargetOptions, type TourTracker, type ContentTracker } from './tours';
export type { AutoTrackOptions } from './auto/index';
export type { DropoffOptions } from './auto/dropoff';
export type { SubmitSuccessOn } from './journey';
export { browserPlatform, browserStorage, deviceClass } from './platform';
export { fieldKey } from './auto/fields';
export { VERSION } from './version';
export type * from '@waymark/core';
