/** Prometheus metrics of one collector (its own registry, so several collectors can share a process). */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface CollectorMetrics {
  registry: Registry;
  eventsAccepted: Counter<'endpoint'>;
  eventsRejected: Counter<'reason'>;
  eventsDeduplicated: Counter;
  /** events of erased users (tombstones), acknowledged and discarded */
  eventsErased: Counter<'endpoint'>;
  batches: Counter<'endpoint' | 'status'>;
  /** events SDKs report as lost before they reached us (`context.dropped`), by reason */
  sdkDropped: Counter<'reason'>;
  ingestLatency: Histogram<'endpoint'>;
}

/** What the processor's gauges read on every scrape (from the store, so separate processor processes count too). */
export interface ProcessorProbes {
  /** seconds since the oldest event still waiting was stored (0 when none waits) */
  lagSeconds(): Promise<number>;
  /** dead letters of every org */
  deadLetters(): Promise<number>;
}

/** `backlog` is read on every scrape (outbox rows not processed yet), and so are the `probes`. */
export function createMetrics(backlog: () => Promise<number>, probes?: ProcessorProbes): CollectorMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'waymark_' });
  const m: CollectorMetrics = {
    registry,
    eventsAccepted: new Counter({ name: 'waymark_events_accepted_total', help: 'Events stored (new ids)', labelNames: ['endpoint'], registers: [registry] }),
    eventsRejected: new Counter({ name: 'waymark_events_rejected_total', help: 'Requests refused, by reason code', labelNames: ['reason'], registers: [registry] }),
    eventsDeduplicated: new Counter({ name: 'waymark_events_deduplicated_total', help: 'Events ignored because their id was already stored', registers: [registry] }),
    eventsErased: new Counter({
      name: 'waymark_events_erased_total',
      help: 'Events acknowledged and discarded because their user was erased (tombstone)',
      labelNames: ['endpoint'],
      registers: [registry],
    }),
    batches: new Counter({ name: 'waymark_batches_total', help: 'Ingest requests by HTTP status', labelNames: ['endpoint', 'status'], registers: [registry] }),
    sdkDropped: new Counter({
      name: 'waymark_sdk_dropped_events_total',
      help: 'Events the SDKs report as lost on the way (context.dropped), by reason: rejected, queue_overflow, too_old',
      labelNames: ['reason'],
      registers: [registry],
    }),
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
  if (probes) {
    new Gauge({
      name: 'waymark_processor_lag_seconds',
      help: 'Age of the oldest event waiting for the processor (0 when none waits); -1 when the store does not answer',
      registers: [registry],
      async collect() {
        this.set(await probes.lagSeconds().catch(() => -1));
      },
    });
    new Gauge({
      name: 'waymark_dead_letters',
      help: 'Events the processor could not apply, waiting in the dead letters (GET /v1/admin/dead-letters)',
      registers: [registry],
      async collect() {
        this.set(await probes.deadLetters().catch(() => -1));
      },
    });
  }
  return m;
}
