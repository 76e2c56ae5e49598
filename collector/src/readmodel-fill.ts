/**
 * The one-time fill of the read models after an upgrade: a database that had raw events before
 * read models existed (or PostgreSQL after `migrate-data`) gets them from its retained raw events
 * when the collector starts, the way `rebuild-rollups` would, before it serves any answer.
 */
import type { Logger } from 'pino';
import type { CollectorConfig } from './config/schema';
import { rebuildFrom } from './retention';
import { aggregate } from './rollups/aggregate';
import type { Store } from './store/types';

/** Fills the read models if the store says they are pending; resolves to the raw events read (0 when nothing was pending). */
export async function fillReadModels(store: Store, retention: CollectorConfig['retention'], logger: Pick<Logger, 'info'>, now = Date.now()): Promise<number> {
  if (!(await store.readModelsPending())) return 0;
  // from the first day whose raw events are all retained: older counters are kept as they are
  const from = rebuildFrom(retention, now);
  logger.info({ from: new Date(from).toISOString().slice(0, 10) }, 'filling the read models from the raw events (once, after an upgrade)');
  const n = await store.rebuildRollups(from, aggregate);
  logger.info({ rawEvents: n }, 'read models filled');
  return n;
}
