/**
 * Lookups the request handlers need, built once from the configuration: org by key, by API key
 * and by pixel site; journeys with their allowed origins (run-time changes included).
 */
import type { JourneySettings } from '../store/types';
import type { CollectorConfig, OrgConfig } from './schema';

export interface Journey {
  key: string;
  /** effective list: the journey's own, else the org's; empty = any origin */
  allowedOrigins: string[];
}

export interface Org {
  config: OrgConfig;
  journeys: Map<string, Journey>;
  /** origins this org lists anywhere: requests from them are not "unknown origins" */
  knownOrigins: Set<string>;
}

export interface Registry {
  org(key: string): Org | undefined;
  orgByApiKey(apiKey: string): Org | undefined;
  orgBySite(site: string): Org | undefined;
  /** applies a run-time change to a journey the configuration declares (throws for any other) */
  setJourney(s: Pick<JourneySettings, 'orgKey' | 'journeyKey' | 'allowedOrigins'>): Journey;
}

export function createRegistry(config: CollectorConfig, overrides: readonly JourneySettings[] = []): Registry {
  const orgs = new Map<string, Org>();
  const byApiKey = new Map<string, Org>();
  const bySite = new Map<string, Org>();
  for (const o of config.orgs) {
    const org: Org = { config: o, journeys: new Map(), knownOrigins: new Set(o.allowedOrigins) };
    for (const j of o.journeys) {
      const allowed = j.allowedOrigins?.length ? j.allowedOrigins : o.allowedOrigins;
      org.journeys.set(j.key, { key: j.key, allowedOrigins: allowed });
      for (const a of allowed) org.knownOrigins.add(a);
    }
    orgs.set(o.key, org);
    for (const k of o.apiKeys) byApiKey.set(k, org);
    for (const s of o.sites) bySite.set(s, org);
  }
  const registry: Registry = {
    org: (key) => orgs.get(key),
    orgByApiKey: (k) => byApiKey.get(k),
    orgBySite: (s) => bySite.get(s),
    setJourney({ orgKey, journeyKey, allowedOrigins }) {
      const org = orgs.get(orgKey);
      if (!org) throw new Error(`unknown org "${orgKey}"`);
      if (!org.journeys.has(journeyKey)) throw new Error(`unknown journey "${journeyKey}" in org "${orgKey}"`);
      const j: Journey = { key: journeyKey, allowedOrigins: allowedOrigins.length ? [...allowedOrigins] : org.config.allowedOrigins };
      org.journeys.set(journeyKey, j);
      for (const a of j.allowedOrigins) org.knownOrigins.add(a);
      return j;
    },
  };
  // settings stored for a journey the configuration no longer declares stay stored but unused:
  // removing a journey from the file must not leave it open to ingest
  for (const s of overrides) if (orgs.get(s.orgKey)?.journeys.has(s.journeyKey)) registry.setJourney(s);
  return registry;
}
