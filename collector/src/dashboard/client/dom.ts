/**
 * DOM helpers of the dashboard. Every string reaches the page as a text node or an attribute
 * value (never parsed as HTML), so whatever the API returns is shown as text.
 */
export type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | undefined | null | ((e: Event) => void)>;

/** `el('a', { href, onclick }, 'text', child)`: attributes set as values, children as text or nodes. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (typeof v === 'function') e.addEventListener(k.slice(2), v);
    else if (v === true) e.setAttribute(k, '');
    else if (v !== undefined && v !== null && v !== false) e.setAttribute(k, String(v));
  }
  append(e, children);
  return e;
}

export function append(parent: Node, children: Child[]): void {
  for (const c of children) if (c !== null && c !== undefined && c !== false) parent.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
}

const num = new Intl.NumberFormat('en-US');
/** 12,345 */
export const fmt = (n: number): string => num.format(n);
/** 35.5 % or — */
export const pct = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : `${v} %`);
/** 1.5 s, 2 min 5 s, or — */
export function dur(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
/** `2025-05-14 11:59:00` (UTC) of an ISO instant. */
export const time = (iso: string): string => iso.replace('T', ' ').slice(0, 19);

/** A change badge: ▲ 25 % / ▼ 3 pts / new / no change; `better` says which direction is good. */
export function change(value: number | null, unit: '%' | 'pts', hasPrevious: boolean): HTMLElement {
  const text = changeText(value, unit, hasPrevious);
  if (value === null) return el('span', { class: 'chg neutral', title: 'no data in the previous period' }, text);
  if (value === 0) return el('span', { class: 'chg neutral' }, text);
  return el('span', { class: `chg ${value > 0 ? 'up' : 'down'}`, title: 'against the previous period of equal length' }, text);
}

/** The text of a change badge. */
export function changeText(value: number | null, unit: '%' | 'pts', hasPrevious: boolean): string {
  if (value === null) return hasPrevious ? '—' : 'new';
  if (value === 0) return `± 0 ${unit}`;
  return `${value > 0 ? '▲' : '▼'} ${Math.abs(value)} ${unit}`;
}

/** A figure card: label, value, optional line below. */
export function card(label: string, value: Child, sub?: Child, testid?: string): HTMLElement {
  return el('div', { class: 'card' }, el('div', { class: 'label' }, label), el('div', { class: 'value', 'data-testid': testid }, value), sub ? el('div', { class: 'sub' }, sub) : null);
}

/** A titled panel. */
export function panel(title: string, ...children: Child[]): HTMLElement {
  return el('section', { class: 'panel' }, el('h2', {}, title), ...children);
}

export interface Column<T> {
  head: string;
  cell: (row: T) => Child;
  num?: boolean;
}

/**
 * A table that stays readable at 390 px: below the breakpoint every row becomes a block and each
 * cell shows its column name (from `data-label`, drawn by the stylesheet).
 */
export function table<T>(columns: Column<T>[], rows: T[], empty = 'Nothing in this range.', caption?: string): HTMLElement {
  if (!rows.length) return el('p', { class: 'muted empty' }, empty);
  return el('div', { class: 'table-wrap' },
    el('table', {},
      caption ? el('caption', { class: 'sr-only' }, caption) : null,
      el('thead', {}, el('tr', {}, ...columns.map((c) => el('th', { scope: 'col', class: c.num ? 'num' : undefined }, c.head)))),
      el('tbody', {}, ...rows.map((r) => el('tr', {}, ...columns.map((c) => el('td', { class: c.num ? 'num' : undefined, 'data-label': c.head }, c.cell(r))))))));
}

/** Horizontal bars (funnels, breakdowns): label, bar, figure; `flag` marks one row. */
export function bars(rows: { label: string; value: number; pct: number; note?: string; flag?: boolean }[], aria: string): HTMLElement {
  return el('ol', { class: 'bars', 'aria-label': aria },
    ...rows.map((r) => {
      const fill = el('span', { class: r.flag ? 'fill flag' : 'fill' });
      fill.style.width = `${Math.max(0.5, Math.min(100, r.pct))}%`; // CSSOM, allowed by style-src 'self'
      return el('li', { class: r.flag ? 'flagged' : undefined },
        el('span', { class: 'bar-label' }, r.label),
        el('span', { class: 'track', 'aria-hidden': 'true' }, fill),
        el('span', { class: 'bar-figure' }, r.note ?? `${r.pct} %`));
    }));
}
