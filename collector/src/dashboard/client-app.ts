/**
 * The dashboard's application: sign-in, the views (overview, tour detail, selector health,
 * journeys, export) and the calls to the admin API. It runs IN THE BROWSER: its source is served
 * as /dashboard/app.js, so it references nothing outside its own body. Every string from the API
 * is rendered as text (text nodes / textContent), never parsed as HTML.
 */
import type { DashboardCharts } from './client-charts';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any
type Child = Node | string | number | null | undefined | false;

export function dashboardApp(charts: DashboardCharts): void {
  const KEY = 'waymark.dashboard.apiKey';
  const JWT = 'waymark.dashboard.jwt';
  const ENV = 'waymark.dashboard.env';
  const ss = window.sessionStorage;
  const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
  const state = { view: 'overview', tourId: '', journeyKey: '', tours: [] as string[] };

  function el(tag: string, attrs: Record<string, unknown> = {}, ...children: Child[]): HTMLElement {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (typeof v === 'function') e.addEventListener(k.slice(2), v as EventListener);
      else if (v !== undefined && v !== false) e.setAttribute(k, String(v));
    }
    for (const c of children) if (c !== null && c !== undefined && c !== false) e.append(typeof c === 'object' ? c : document.createTextNode(String(c)));
    return e;
  }
  const card = (label: string, value: Child, sub?: Child, id?: string) =>
    el('div', { class: 'card' }, el('div', { class: 'label' }, label), el('div', { class: 'value', 'data-testid': id }, value), sub ? el('div', { class: 'sub' }, sub) : null);
  const panel = (title: string, ...children: Child[]) => el('div', { class: 'panel' }, el('h3', {}, title), ...children);
  function table(head: string[], rows: Child[][], onRow?: (i: number) => void, nums: number[] = []): HTMLElement {
    return el('table', {},
      el('thead', {}, el('tr', {}, ...head.map((h, i) => el('th', { class: nums.includes(i) ? 'num' : undefined }, h)))),
      el('tbody', {}, ...rows.map((r, i) => el('tr', onRow ? { class: 'clickable', onclick: () => onRow(i) } : {}, ...r.map((c, j) => el('td', { class: nums.includes(j) ? 'num' : undefined }, c))))));
  }
  const pctText = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${v}%`);
  const dur = (ms: number | null) => (ms === null ? '—' : ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`);
  const range = () => ({ date_from: $<HTMLInputElement>('date-from').value, date_to: $<HTMLInputElement>('date-to').value });

  function headers(): Record<string, string> {
    const h: Record<string, string> = { 'X-API-Key': ss.getItem(KEY) ?? '' };
    const jwt = ss.getItem(JWT);
    if (jwt) h.Authorization = `Bearer ${jwt}`;
    return h;
  }
  async function api(path: string, params: Record<string, string | number> = {}): Promise<Json> {
    const q = new URLSearchParams({ env: ss.getItem(ENV) ?? 'prod' });
    for (const [k, v] of Object.entries(params)) if (v !== '') q.set(k, String(v));
    const res = await fetch(`/v1/admin${path}?${q}`, { headers: headers(), cache: 'no-store' });
    const body = await res.json().catch(() => ({}));
    if (res.status === 401 || res.status === 403) signOut(body?.error?.message ?? 'not authorised');
    if (!res.ok) throw new Error(body?.error?.message ?? `HTTP ${res.status}`);
    return body;
  }

  async function overview(view: HTMLElement) {
    const d = (await api('/analytics/overview', range())).data;
    state.tours = d.tours.map((t: Json) => t.tour_id);
    const t = d.completion_rate_trend;
    const trend = t === null ? 'no previous data' : el('span', { class: t >= 0 ? 'up' : 'down' }, `${t >= 0 ? '▲' : '▼'} ${Math.abs(t)} pts vs ${d.previous_period.from} – ${d.previous_period.to}`);
    const top = d.top_tour;
    const weak = d.highest_dropoff_tour;
    view.append(
      el('div', { class: 'cards' },
        card('Active tours', d.active_tours, null, 'active-tours'),
        card('Active content items', d.active_content_items, null, 'active-content'),
        card('Completion rate', pctText(d.completion_rate), trend, 'completion-rate'),
        card('Top tour', top ? top.tour_id : '—', top ? `${top.completion_rate}% of ${top.starts} starts` : `needs ${d.min_starts} starts`, 'top-tour'),
        card('Needs attention', weak ? weak.tour_id : '—', weak ? `${weak.dropoff_rate}% drop-off${weak.largest_drop_step !== null ? `, worst at step ${weak.largest_drop_step + 1}` : ''}` : null, 'weak-tour')),
      panel('Tours', table(['Tour', 'Starts', 'Completions', 'Dismissals', 'Completion rate', 'Drop-off'],
        d.tours.map((x: Json) => [x.tour_id, x.starts, x.completions, x.dismissals, pctText(x.completion_rate), pctText(x.dropoff_rate)]),
        (i) => { state.tourId = d.tours[i].tour_id; show('tour'); }, [1, 2, 3, 4, 5])));
  }

  async function tour(view: HTMLElement) {
    const input = el('input', { id: 'tour-id', list: 'tour-ids', value: state.tourId, placeholder: 'tour id' }) as HTMLInputElement;
    view.append(el('div', { class: 'row' }, el('label', {}, 'Tour', input), el('datalist', { id: 'tour-ids' }, ...state.tours.map((t) => el('option', { value: t }))),
      el('button', { type: 'button', onclick: () => { state.tourId = input.value.trim(); show('tour'); } }, 'Show')));
    if (!state.tourId) return void view.append(el('p', { class: 'muted' }, 'Pick a tour (from the overview, or type its id).'));
    const id = encodeURIComponent(state.tourId);
    const [daily, funnel, detail] = await Promise.all([api(`/analytics/tours/${id}`, range()), api(`/analytics/tours/${id}/funnel`, range()), api(`/analytics/tours/${id}/detail`, range())]);
    const tot = daily.data.totals;
    const u = detail.data.users;
    const f = funnel.data;
    view.append(
      el('div', { class: 'cards' }, card('Starts', tot.starts, null, 'tour-starts'), card('Completions', tot.completions, null, 'tour-completions'),
        card('Dismissals', tot.dismissals, null, 'tour-dismissals'), card('Completion rate', pctText(tot.completion_rate), null, 'tour-rate'),
        card('Users', u.total, `${u.completed} completed · ${u.in_progress} in progress · ${u.dismissed} dismissed`, 'tour-users')),
      panel('Daily trend (bars: starts, line: completion rate)', charts.trend(daily.data.daily)),
      panel(`Step funnel (${f.started_users} users started)`, charts.funnel(f.steps),
        table(['Step', 'Users', '% of starts', 'Drop'], f.steps.map((s: Json) => [`${s.step_index + 1}. ${s.step_id}${s.largest_drop ? ' ◀ drop-off' : ''}`, s.users, pctText(s.pct_of_starts), `${s.drop_from_previous} pts`]), undefined, [1, 2, 3])),
      panel('Recent activity', table(['Time', 'Event', 'User', 'Session'], detail.data.recent_activity.map((a: Json) => [a.ts.replace('T', ' ').slice(0, 19), a.type, a.client_id, a.session_id]))));
  }

  async function selectors(view: HTMLElement) {
    const d = (await api('/analytics/selectors', range())).data;
    const drill = el('div');
    view.append(el('div', { class: 'cards' }, card('Target failures', d.total_failures, `${d.broken_selectors.length} broken selectors`, 'failures')),
      panel('Broken selectors', table(['Selector', 'Content', 'Failures'], d.broken_selectors.map((s: Json) => [s.selector, `${s.content_kind}: ${s.content_id}`, s.failures]),
        (i) => void drillDown(drill, d.broken_selectors[i]), [2])), drill);
  }
  async function drillDown(into: HTMLElement, s: Json) {
    const d = (await api(`/analytics/selectors/${encodeURIComponent(s.content_kind)}/${encodeURIComponent(s.content_id)}`, { ...range(), limit: 50 })).data;
    into.replaceChildren(panel(`Failures of ${s.content_kind} ${s.content_id} (${d.total_failures})`,
      table(['Time', 'Selector', 'Step', 'Waited', 'Page'], d.events.map((e: Json) => [e.ts.replace('T', ' ').slice(0, 19), e.selector, e.step_id ?? '—', e.waited_ms === null ? '—' : `${e.waited_ms} ms`, e.url ?? '—']))));
  }

  async function journey(view: HTMLElement) {
    const input = el('input', { id: 'journey-key', value: state.journeyKey, placeholder: 'journey key' }) as HTMLInputElement;
    view.append(el('div', { class: 'row' }, el('label', {}, 'Journey', input), el('button', { type: 'button', onclick: () => { state.journeyKey = input.value.trim(); show('journey'); } }, 'Show')));
    if (!state.journeyKey) return;
    const d = (await api(`/analytics/journeys/${encodeURIComponent(state.journeyKey)}`, range())).data;
    view.append(
      el('div', { class: 'cards' }, card('Sessions', d.sessions, null, 'journey-sessions'), card('Completion rate', pctText(d.completion_rate), `${d.completed_sessions} completed`, 'journey-rate'),
        card('Time to complete (median)', dur(d.time_to_complete_ms.median), `p90 ${dur(d.time_to_complete_ms.p90)}`, 'journey-median')),
      panel('Steps', table(['Step', 'Sessions', '% of sessions', 'Drop-offs', 'Drop-off rate'], d.steps.map((s: Json) => [s.step_key, s.sessions, pctText(s.pct_of_sessions), s.dropoffs, pctText(s.dropoff_rate)]), undefined, [1, 2, 3, 4])),
      panel('Fields', table(['Field', 'Focus count', 'Median time engaged', 'Validation errors', 'By type'],
        d.fields.map((f: Json) => [f.field_key, f.focus_count, dur(f.median_engaged_ms), f.validation_errors, f.errors_by_type.map((e: Json) => `${e.error_type}: ${e.count}`).join(', ')]), undefined, [1, 2, 3])));
  }

  async function exportView(view: HTMLElement) {
    const format = el('select', { id: 'export-format' }, el('option', { value: 'ndjson' }, 'NDJSON'), el('option', { value: 'csv' }, 'CSV')) as HTMLSelectElement;
    const note = el('span', { class: 'muted', id: 'export-status' });
    const go = async () => {
      note.textContent = 'Exporting…';
      const q = new URLSearchParams({ env: ss.getItem(ENV) ?? 'prod', format: format.value, ...range() });
      const res = await fetch(`/v1/admin/export?${q}`, { headers: headers() });
      if (!res.ok) return void (note.textContent = (await res.json().catch(() => ({})))?.error?.message ?? `HTTP ${res.status}`);
      const blob = await res.blob();
      const a = el('a', { href: URL.createObjectURL(blob), download: `waymark-export.${format.value}` });
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.getAttribute('href')!), 10_000);
      note.textContent = `Exported ${blob.size} bytes.`;
    };
    const audit = (await api('/audit', { limit: 20 })).data;
    view.append(panel('Export raw events of the range', el('div', { class: 'row' }, el('label', {}, 'Format', format), el('button', { type: 'button', id: 'export-go', onclick: () => void go() }, 'Download'), note)),
      panel('Recent admin actions', table(['Time', 'Who', 'Action', 'Target'], audit.map((a: Json) => [a.ts.replace('T', ' ').slice(0, 19), a.actor, a.action, a.target]))));
  }

  const views: Record<string, (v: HTMLElement) => Promise<void>> = { overview, tour, selectors, journey, export: exportView };
  async function show(name: string) {
    state.view = name;
    for (const b of document.querySelectorAll<HTMLButtonElement>('#nav button')) b.setAttribute('aria-current', b.dataset.view === name ? 'page' : 'false');
    const view = el('div', { id: 'view', 'data-view': name, 'aria-busy': 'true' });
    $('view').replaceWith(view);
    $('status').textContent = 'Loading…';
    try {
      await views[name]!(view);
      $('status').textContent = '';
    } catch (e) {
      $('status').textContent = `Error: ${(e as Error).message}`;
    }
    view.setAttribute('aria-busy', 'false');
  }

  function signOut(message = '') {
    ss.removeItem(KEY);
    ss.removeItem(JWT);
    render(message);
  }
  function render(message = '') {
    const signedIn = !!ss.getItem(KEY);
    $('sign-in').hidden = signedIn;
    $('app').hidden = !signedIn;
    $('nav').hidden = !signedIn;
    $('session').hidden = !signedIn;
    $('sign-in-error').textContent = message;
    if (signedIn) {
      $('org-env').textContent = `env: ${ss.getItem(ENV) ?? 'prod'}`;
      void show(state.view);
    }
  }

  function init() {
    const today = new Date().toISOString().slice(0, 10);
    $<HTMLInputElement>('date-to').value = today;
    $<HTMLInputElement>('date-from').value = new Date(Date.parse(today) - 29 * 86_400_000).toISOString().slice(0, 10);
    $('sign-in').addEventListener('submit', (e) => {
      e.preventDefault();
      ss.setItem(KEY, $<HTMLInputElement>('api-key').value.trim());
      const jwt = $<HTMLInputElement>('jwt').value.trim();
      if (jwt) ss.setItem(JWT, jwt);
      ss.setItem(ENV, $<HTMLSelectElement>('env').value);
      $<HTMLInputElement>('api-key').value = '';
      $<HTMLInputElement>('jwt').value = '';
      render();
    });
    $('sign-out').addEventListener('click', () => signOut());
    $('refresh').addEventListener('click', () => void show(state.view));
    for (const b of document.querySelectorAll<HTMLButtonElement>('#nav button')) b.addEventListener('click', () => void show(b.dataset.view!));
    render();
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
}
