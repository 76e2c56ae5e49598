/** The merge rule for pixel session and user records (later values win), shared by every engine. */
import type { PixelRecord } from '../store/types';

/**
 * Merges `update` (one event) into `existing`: properties of the later event win, and the record
 * keeps the eid, timestamp, sid and uid of its latest event. Events arriving out of order only fill
 * properties the record does not have yet. Ties in time go to `update` (processed later).
 */
export function mergePixelRecord(existing: PixelRecord, update: PixelRecord): PixelRecord {
  if (update.unixtimestamp >= existing.unixtimestamp) {
    return { ...update, props: { ...existing.props, ...update.props } };
  }
  return { ...existing, props: { ...update.props, ...existing.props } };
}
