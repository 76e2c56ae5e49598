/**
 * Scheduled purge of expired raw events, activity and pixel records, and of minute counters older
 * than {@link MINUTE_COUNTERS_HOURS}. Day and hour counters are kept forever.
 */
import type { Logger } from 'pino';
import type { CollectorConfig } from './config/schema';
import type { PurgeCutoffs, PurgeResult, Store } from './store/types';

const DAY = 86_400_000;
/**
 * Hours of minute counters kept: the live figure reads the last 30 minutes; a day of them costs
 * at most 1,440 rows per org × environment, where keeping them forever grows without bound.
 */
export const MINUTE_COUNTERS_HOURS = 24;

/** Cut-offs for `now` and the configured retention. */
export function cutoffsFor(retention: CollectorConfig['retention'], now = Date.now()): PurgeCutoffs {
  return {
    sdkBefore: now - retention.sdkDays * DAY,
    pixelBefore: now - retention.pixelDays * DAY,
    activityBefore: now - retention.activityDays * DAY,
    minuteCountersBefore: now - MINUTE_COUNTERS_HOURS * 3_600_000,
  };
}

/**
 * The first UTC day all of whose raw events are still retained: `rebuild-rollups` recomputes
 * counters from there on and keeps older ones (built before their raw events expired).
 */
export function rebuildFrom(retention: CollectorConfig['retention'], now = Date.now()): number {
  const oldest = now - Math.min(retention.sdkDays, retention.pixelDays) * DAY;
  return Math.floor(oldest / DAY) * DAY + DAY;
}

export function purgeNow(store: Store, retention: CollectorConfig['retention'], now = Date.now()): Promise<PurgeResult> {
  return store.purgeExpired(cutoffsFor(retention, now));
}

/** Runs a purge now and every `purgeIntervalMinutes`; returns a stop function. */
export function schedulePurge(store: Store, retention: CollectorConfig['retention'], logger: Logger): () => void {
  const tick = () =>
    purgeNow(store, retention)
      .then((r) => logger.info({ purged: r }, 'retention purge done'))
      .catch((err) => logger.error({ err }, 'retention purge failed'));
  const first = setTimeout(tick, 1000);
  const timer = setInterval(tick, retention.purgeIntervalMinutes * 60_000);
  first.unref();
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
