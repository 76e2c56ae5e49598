/** Prometheus metrics of one collector (its own registry, so several collectors can share a process). */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface CollectorMetrics {
  registry: Registry;
  eventsAccepted: Counter<'endpoint'>;
  eventsRejected: Counter<'reason'>;
  eventsDeduplicated: Counter;
  batches: Counter<'endpoint' | 'status'>;
  ingestLatency: Histogram<'endpoint'>;
}

/** `backlog` is read on every scrape (outbox rows not processed yet). */
export function createMetrics(backlog: () => Promise<number>): CollectorMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'waymark_' });
  const m: CollectorMetrics = {
    registry,
    eventsAccepted: new Counter({ name: 'waymark_events_accepted_total', help: 'Events stored (new ids)', labelNames: ['endpoint'], registers: [registry] }),
    eventsRejected: new Counter({ name: 'waymark_events_rejected_total', help: 'Requests refused, by reason code', labelNames: ['reason'], registers: [registry] }),
    eventsDeduplicated: new Counter({ name: 'waymark_events_deduplicated_total', help: 'Events ignored because their id was already stored', registers: [registry] }),
    batches: new Counter({ name: 'waymark_batches_total', help: 'Ingest requests by HTTP status', labelNames: ['endpoint', 'status'], registers: [registry] }),
    ingestLatency: new Histogram({
      name: 'waymark_ingest_duration_seconds',
      help: 'Time from body parsed to answer, per ingest request',
      labelNames: ['endpoint'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
  };
  new Gauge({
    name: 'waymark_outbox_backlog',
    help: 'Outbox rows waiting for the processor',
    registers: [registry],
    async collect() {
      this.set(await backlog().catch(() => -1));
    },
  });
  return m;
}
