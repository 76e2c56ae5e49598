/**
 * Selector health: targeting failures (`target_not_found`) in a window, broken selectors ranked
 * by failure count (read-model sums per selector), and the failure events of one content item
 * (the newest rows of an index range of the raw events, bounded by `limit`).
 */
import type { ContentKind } from '../store/types';
import type { DateRange } from './range';
import type { AnalyticsReader, Scope } from './reader';
import { dimsOf, readWindows } from './windows';

const KINDS: ContentKind[] = ['tour', 'content', 'journey', 'none'];

export interface BrokenSelector {
  selector: string;
  content_kind: string;
  content_id: string;
  failures: number;
}

export interface SelectorHealth {
  period: { from: string; to: string };
  total_failures: number;
  broken_selectors: BrokenSelector[];
}

async function ranked(reader: AnalyticsReader, scope: Scope, range: DateRange, kinds: ContentKind[], contentId?: string) {
  const all = contentId !== undefined ? kinds.map((k) => ({ contentKind: k, contentId })) : await reader.contents({ ...scope, contentKinds: kinds });
  const list: BrokenSelector[] = [];
  await Promise.all(kinds.map(async (kind) => {
    const ids = all.filter((c) => c.contentKind === kind).map((c) => c.contentId);
    const [sums] = await readWindows(reader, scope, { contentKind: kind, contentIds: ids, metrics: ['target_failures'], spans: [range], grouped: true });
    for (const id of ids) {
      for (const [selector, failures] of dimsOf(sums!, id, 'target_failures')) {
        if (failures > 0) list.push({ selector, content_kind: kind, content_id: id, failures });
      }
    }
  }));
  list.sort((a, b) => b.failures - a.failures || a.selector.localeCompare(b.selector) || a.content_id.localeCompare(b.content_id));
  return list;
}

export async function selectorHealth(reader: AnalyticsReader, scope: Scope, range: DateRange, limit: number): Promise<SelectorHealth> {
  const list = await ranked(reader, scope, range, KINDS);
  return {
    period: { from: range.from, to: range.to },
    total_failures: list.reduce((n, r) => n + r.failures, 0),
    broken_selectors: list.slice(0, limit),
  };
}

export interface FailureEvent {
  id: string;
  ts: string;
  selector: string;
  step_id: string | null;
  waited_ms: number | null;
  url: string | null;
  session_id: string;
  client_id: string;
}

export interface SelectorDrilldown {
  content_kind: string;
  content_id: string;
  period: { from: string; to: string };
  total_failures: number;
  selectors: BrokenSelector[];
  events: FailureEvent[];
}

export async function selectorDrilldown(
  reader: AnalyticsReader, scope: Scope, kind: ContentKind, contentId: string, range: DateRange, limit: number,
): Promise<SelectorDrilldown> {
  const [selectors, rows] = await Promise.all([
    ranked(reader, scope, range, [kind], contentId),
    reader.recentEvents({ ...scope, contentKind: kind, contentId, type: 'target_not_found', start: range.start, end: range.end, limit }),
  ]);
  return {
    content_kind: kind,
    content_id: contentId,
    period: { from: range.from, to: range.to },
    total_failures: selectors.reduce((n, r) => n + r.failures, 0),
    selectors,
    events: rows.map((r) => ({
      id: r.id,
      ts: r.ts,
      selector: String(r.data.selector ?? ''),
      step_id: typeof r.data.stepId === 'string' ? r.data.stepId : null,
      waited_ms: typeof r.data.waitedMs === 'number' ? r.data.waitedMs : null,
      url: r.url,
      session_id: r.session_id,
      client_id: r.client_id,
    })),
  };
}
