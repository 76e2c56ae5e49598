/** What every view gets: the URL state, the API parameters it implies, and links to other views. */
import type { Json } from './api';
import { href, rangeParams, type State } from './state';

export interface Ctx {
  s: State;
  /** `env` and the range of the state (`date_from`, `date_to`, or `last_hours` for 24 h) */
  params: Record<string, string>;
  /** what one point of a trend is: a UTC day, or an hour of the rolling 24 h */
  unit: 'day' | 'hour';
  /** the environments answer of this render (org, event count of each environment), fetched alongside the view's own reads */
  environments(): Promise<Json>;
  link(view: string, id?: string, kind?: string): string;
  /** navigates to a dashboard URL (as a click on one of its links) */
  go(url: string): void;
}

export function context(s: State, environments: () => Promise<Json>, go: (url: string) => void): Ctx {
  return { s, environments, go, params: { env: s.env || 'prod', ...rangeParams(s) }, unit: s.preset === '24h' ? 'hour' : 'day', link: (view, id = '', kind = '') => href(s, view, id, kind) };
}

/** A view renders into a fresh element, which replaces the previous render once complete. */
export type View = (ctx: Ctx, into: HTMLElement) => Promise<void>;
