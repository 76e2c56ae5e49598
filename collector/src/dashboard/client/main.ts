/**
 * The dashboard's application: sign-in, the header (views, environment with its event counts,
 * date range), the views, URL state and auto-refresh. Served as /dashboard/app.js (bundled with
 * uPlot at build time); it talks to the admin API of the same origin only.
 */
import { api, ApiError, session, whenUnauthorized, type Json } from './api';
import { dropCharts, swapCharts } from './charts';
import { context, type View } from './context';
import { el, fmt } from './dom';
import { showHealth } from './health';
import { PRESETS, presetRange, rangeLabel, rangeParams, readState, search, type Preset, type State } from './state';
import { content } from './views/content';
import { customEvents } from './views/events';
import { exportView } from './views/export';
import { home } from './views/home';
import { journey } from './views/journey';
import { liveRefreshes, liveView } from './views/live';
import { selectors } from './views/selectors';
import { site } from './views/site';
import { tour } from './views/tour';

/** Seconds between two refreshes while the tab is visible. */
const REFRESH_MS = 5000;

const VIEWS: Record<string, { view: View; title: string; needsId?: boolean; nav?: string; refresh?: (into: HTMLElement) => boolean }> = {
  home: { view: home, title: 'Home', nav: 'Home' },
  live: { view: liveView, title: 'Live', nav: 'Live', refresh: liveRefreshes },
  selectors: { view: selectors, title: 'Selector health', nav: 'Selector health' },
  events: { view: customEvents, title: 'Custom events', nav: 'Custom events' },
  export: { view: exportView, title: 'Export', nav: 'Export', refresh: () => false },
  journey: { view: journey, title: 'Journey', needsId: true },
  tour: { view: tour, title: 'Tour', needsId: true },
  content: { view: content, title: 'Content', needsId: true },
  site: { view: site, title: 'Pixel site', needsId: true },
};

const $ = (id: string) => document.getElementById(id)!;
let queue: Promise<void> = Promise.resolve();
let busy = false;

/** Set by a navigation: the next render moves focus to the new view (as a page load would to the page). */
let navigated = false;

function go(url: string, replace = false): void {
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  navigated = true;
  void schedule(false);
}
const setState = (patch: Partial<State>) => go(`/dashboard${search({ ...readState(), ...patch })}`);

function schedule(quiet: boolean): Promise<void> {
  queue = queue.then(() => render(quiet)).catch(() => {});
  return queue;
}

function header(s: State, envs: Json): HTMLElement {
  const nav = el('nav', { 'aria-label': 'Views' },
    ...Object.entries(VIEWS).filter(([, v]) => v.nav).map(([k, v]) =>
      el('a', { href: `/dashboard${search({ ...s, view: k, id: '', kind: '' })}`, 'data-nav': '', 'aria-current': s.view === k ? 'page' : undefined }, v.nav!)));
  return el('header', { class: 'top' },
    el('a', { class: 'brand', href: `/dashboard${search({ ...s, view: 'home', id: '', kind: '' })}`, 'data-nav': '' }, 'Waymark'),
    nav,
    el('div', { class: 'who' }, el('span', { class: 'muted' }, 'org ', el('strong', {}, envs.org.key)),
      el('button', { type: 'button', id: 'sign-out', onclick: () => { session.signOut(); go('/dashboard'); } }, 'Sign out')));
}

function toolbar(s: State, envs: Json): HTMLElement {
  const envGroup = el('div', { class: 'seg', role: 'group', 'aria-label': 'Environment' },
    ...envs.environments.map((e: Json) =>
      el('button', { type: 'button', 'aria-pressed': String(e.env === s.env), 'data-env': e.env, onclick: () => setState({ env: e.env }) },
        e.env, ' ', el('span', { class: 'count', 'data-testid': `env-count-${e.env}` }, fmt(e.events)))));
  const rangeGroup = el('div', { class: 'seg', role: 'group', 'aria-label': 'Date range' },
    ...PRESETS.map((p) => el('button', {
      type: 'button', 'aria-pressed': String(p.id === s.preset), title: p.title, 'data-range': p.id,
      onclick: () => (p.id === 'custom' ? setState({ preset: 'custom' }) : setState({ preset: p.id as Preset, ...presetRange(p.id as Exclude<Preset, 'custom'>) })),
    }, p.label)));
  const from = el('input', { type: 'date', id: 'date-from', value: s.from, max: s.to, 'aria-label': 'First day' });
  const to = el('input', { type: 'date', id: 'date-to', value: s.to, min: s.from, 'aria-label': 'Last day' });
  const custom = el('form', { class: 'custom', hidden: s.preset !== 'custom' },
    from, el('span', { 'aria-hidden': 'true' }, '–'), to, el('button', { type: 'submit' }, 'Apply'));
  custom.addEventListener('submit', (e) => {
    e.preventDefault();
    if (from.value && to.value && from.value <= to.value) setState({ preset: 'custom', from: from.value, to: to.value });
  });
  return el('div', { class: 'toolbar' },
    el('div', { class: 'group' }, el('span', { class: 'group-label', 'aria-hidden': 'true' }, 'Environment'), envGroup),
    el('div', { class: 'group' }, el('span', { class: 'group-label', 'aria-hidden': 'true' }, 'Range (UTC)'), rangeGroup, custom),
    el('div', { class: 'group status' }, el('span', { id: 'updated', class: 'muted' }), el('button', { type: 'button', id: 'refresh', onclick: () => void schedule(false) }, 'Refresh')));
}

/** Data elsewhere while this environment is empty: say where, one click away. */
function notice(s: State, envs: Json): HTMLElement | null {
  const here = envs.environments.find((e: Json) => e.env === s.env);
  const best = envs.environments.reduce((b: Json, e: Json) => (e.events > (b?.events ?? 0) ? e : b), null);
  if (!here || here.events > 0 || !best) return null;
  return el('p', { class: 'notice', role: 'note', 'data-testid': 'env-notice' },
    `No events in ${s.env} for ${rangeLabel(s)}. `, el('strong', {}, best.env), ` has ${fmt(best.events)}. `,
    el('button', { type: 'button', onclick: () => setState({ env: best.env }) }, `Show ${best.env}`));
}

function signInForm(message = ''): HTMLElement {
  const key = el('input', { id: 'api-key', name: 'api-key', type: 'password', required: true, minlength: 16, autocomplete: 'off', 'aria-describedby': 'key-help' });
  const jwt = el('input', { id: 'jwt', name: 'jwt', type: 'password', autocomplete: 'off' });
  const error = el('p', { id: 'sign-in-error', class: 'error', role: 'alert' }, message);
  const form = el('form', { id: 'sign-in', autocomplete: 'off' },
    el('h1', {}, 'Sign in'),
    el('label', { for: 'api-key' }, 'Admin API key'),
    key,
    el('p', { id: 'key-help', class: 'muted' }, 'The collector prints it when it starts. It stays in this tab (sessionStorage), never in a URL.'),
    el('details', {}, el('summary', {}, 'My org also requires a JWT'), el('label', { for: 'jwt' }, 'JWT'), jwt),
    el('button', { type: 'submit', class: 'primary' }, 'Sign in'),
    error);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    session.signIn(key.value.trim(), jwt.value.trim());
    key.value = '';
    jwt.value = '';
    try {
      await api('/analytics/environments');
      go(location.pathname + location.search, true);
    } catch (err) {
      session.signOut();
      error.textContent = (err as Error).message;
    }
  });
  return form;
}

function showSignIn(message = ''): void {
  dropCharts();
  swapCharts();
  document.title = 'Sign in · Waymark';
  $('app').replaceChildren(el('header', { class: 'top' }, el('span', { class: 'brand' }, 'Waymark')), el('main', { id: 'main' }, signInForm(message)));
}

/** Focus survives a refresh: the new render's element with the same link or label gets it back. */
function refocus(old: HTMLElement, next: HTMLElement): void {
  const a = document.activeElement as HTMLElement | null;
  if (!a || !old.contains(a)) return;
  const same = [...next.querySelectorAll<HTMLElement>(a.tagName)].find((e) => (e.getAttribute('href') ?? e.textContent) === (a.getAttribute('href') ?? a.textContent));
  same?.focus();
}

async function render(quiet: boolean): Promise<void> {
  void showHealth();
  if (!session.key()) return showSignIn();
  busy = true;
  try {
    let s = readState();
    // the environment counts are read alongside the view's own reads (not before them), except
    // when the URL names no environment: then the busiest one is needed first
    const envsRead: Promise<Json> = api('/analytics/environments', rangeParams(s)).then((r) => r.data);
    envsRead.catch(() => {}); // awaited below; a view that fails first must not leave it unhandled
    if (!s.env) {
      // land where the data is: the environment with the most events of the range
      s = { ...s, env: (await envsRead).busiest ?? 'prod' };
      history.replaceState(null, '', `/dashboard${search(s)}`);
    }
    const spec = VIEWS[s.view] ?? VIEWS.home!;
    const ctx = context(s, () => envsRead, (url) => go(url));
    // the URL this render answers: a navigation during the render makes it stale (tests wait for the match)
    const view = el('div', { id: 'view', 'data-view': s.view, 'data-search': location.search, 'aria-busy': 'true' });
    const status = document.getElementById('status');
    if (!quiet && status) status.textContent = 'Loading…';
    try {
      if (spec.needsId && !s.id) throw new ApiError(400, `Pick a ${spec.title.toLowerCase()} on the home page.`);
      await spec.view(ctx, view);
    } catch (err) {
      if (!(err instanceof ApiError) || err.status === 401 || err.status === 403) throw err;
      dropCharts();
      view.replaceChildren(el('section', { class: 'panel error-panel', role: 'alert' }, el('h1', {}, err.status === 404 ? 'Not found' : 'Cannot show this view'),
        el('p', {}, err.message), el('p', {}, el('a', { href: ctx.link('home'), 'data-nav': '' }, 'Back to the home page'))));
    }
    const envs = await envsRead;
    view.setAttribute('aria-busy', 'false');
    const oldView = document.getElementById('view');
    const shell = document.getElementById('shell');
    const main = el('main', { id: 'main', tabindex: '-1' }, notice(s, envs), view);
    const skip = el('a', { class: 'skip', href: '#main', onclick: (e: Event) => (e.preventDefault(), main.focus()) }, 'Skip to the view');
    const next = el('div', { id: 'shell' }, skip, header(s, envs), toolbar(s, envs), main, el('p', { id: 'status', role: 'status', class: 'sr-only' }));
    if (shell && oldView) refocus(shell, next);
    $('app').replaceChildren(next);
    swapCharts();
    document.title = `${spec.needsId ? `${s.id} · ` : ''}${spec.title} · ${s.env} · Waymark`;
    $('updated').textContent = `Updated ${new Date().toLocaleTimeString()}`;
    if (navigated && !quiet) main.focus({ preventScroll: true });
    navigated = false;
  } catch (err) {
    dropCharts();
    if (err instanceof ApiError && (err.status === 401 || err.status === 403)) return;
    const status = document.getElementById('status');
    const updated = document.getElementById('updated');
    if (updated) updated.textContent = `Refresh failed: ${(err as Error).message}`;
    else $('app').replaceChildren(el('main', { id: 'main' }, el('p', { class: 'error', role: 'alert' }, (err as Error).message)));
    if (status && !quiet) status.textContent = (err as Error).message;
  } finally {
    busy = false;
  }
}

function init(): void {
  whenUnauthorized((message) => {
    session.signOut();
    showSignIn(message);
  });
  document.addEventListener('click', (e) => {
    const a = (e.target as Element).closest?.('a[data-nav]') as HTMLAnchorElement | null;
    if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    go(a.getAttribute('href')!);
  });
  window.addEventListener('popstate', () => {
    navigated = true;
    void schedule(false);
  });
  setInterval(() => {
    if (document.visibilityState !== 'visible' || busy || !session.key()) return;
    if ((document.activeElement as HTMLElement | null)?.matches('input, select, textarea, summary')) return;
    const s = readState();
    const view = document.getElementById('view');
    const refresh = (VIEWS[s.view] ?? VIEWS.home!).refresh;
    if (view && refresh && !refresh(view)) return;
    void schedule(true);
  }, REFRESH_MS);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && session.key()) void schedule(true);
  });
  void schedule(false);
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
else init();
