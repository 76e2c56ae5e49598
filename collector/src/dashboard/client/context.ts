/** What every view gets: the URL state, the API parameters it implies, and links to other views. */
import type { Json } from './api';
import { href, type State } from './state';

export interface Ctx {
  s: State;
  /** `env`, `date_from`, `date_to` of the state */
  params: { env: string; date_from: string; date_to: string };
  /** the environments answer of this render (org, event count of each environment) */
  envs: Json;
  link(view: string, id?: string, kind?: string): string;
  /** navigates to a dashboard URL (as a click on one of its links) */
  go(url: string): void;
}

export function context(s: State, envs: Json, go: (url: string) => void): Ctx {
  return { s, envs, go, params: { env: s.env || 'prod', date_from: s.from, date_to: s.to }, link: (view, id = '', kind = '') => href(s, view, id, kind) };
}

/** A view renders into a fresh element, which replaces the previous render once complete. */
export type View = (ctx: Ctx, into: HTMLElement) => Promise<void>;
