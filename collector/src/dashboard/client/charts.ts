/**
 * The dashboard's charts, drawn by uPlot (bundled into app.js and served by the collector: no
 * remote origin; uPlot styles its elements through the CSSOM, which the strict CSP allows).
 * Days are UTC days (hours UTC hours, on the rolling 24 h), so the time axis is formatted in UTC. A value of `null` is a gap: a day
 * without starts has no completion rate and is never drawn as 0 %.
 */
import uPlot from 'uplot';
import { el } from './dom';

const DAY_S = 86_400;
export const COLORS = { bars: '#4263eb', line: '#2b8a3e', warn: '#c92a2a', grid: '#e3e6ee', axis: '#4a5263' };

type Disposable = { destroy(): void };
// charts of the render on screen, and of the render being built (shown once complete)
let shown = new Set<Disposable>();
let building = new Set<Disposable>();

/** The render being built replaced the one on screen: destroy the old charts (and their observers). */
export function swapCharts(): void {
  for (const c of shown) c.destroy();
  shown = building;
  building = new Set();
}

/** The render being built was abandoned: destroy its charts. */
export function dropCharts(): void {
  for (const c of building) c.destroy();
  building = new Set();
}

/** Mounts a uPlot chart into a sized box once the box has a width, and follows its width. */
function mount(box: HTMLElement, height: number, make: (width: number) => uPlot.Options, data: uPlot.AlignedData): void {
  let plot: uPlot | undefined;
  const ro = new ResizeObserver(() => {
    const w = Math.floor(box.clientWidth);
    if (w <= 0) return;
    if (!plot) plot = new uPlot(make(w), data, box);
    else if (plot.width !== w) plot.setSize({ width: w, height });
  });
  ro.observe(box);
  building.add({ destroy: () => (ro.disconnect(), plot?.destroy()) });
}

const utc = (ts: number) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC');
const dayTs = (d: string) => Date.parse(`${d}T00:00:00Z`) / 1000;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** `May 8` of a UTC day. */
const dayLabel = (ts: number) => {
  const d = new Date(ts * 1000);
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}`;
};
/** `11:58` of a UTC minute. */
const minuteLabel = (ts: number) => new Date(ts * 1000).toISOString().slice(11, 16);
// ticks on whole days only: 1, 2, 7, 14 or 28 days apart, whatever fits
const DAY_TICKS = [1, 2, 7, 14, 28].map((n) => n * DAY_S);
// counts are whole numbers: no tick at 0.5
const INT_TICKS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6, 1e7, 1e8];

/** `2025-05-14` of a day, `2025-05-14 11:00` of an hour (UTC). */
export function bucketLabel(bucket: string, hourly = isHour(bucket)): string {
  return hourly ? bucket.slice(0, 16).replace('T', ' ') : bucket.slice(0, 10);
}

export interface TrendSeries {
  label: string;
  values: (number | null)[];
  /** bars on the count scale (left axis), or a line on the 0-100 % scale (right axis) */
  kind: 'bars' | 'rate';
  color?: string;
}

const HOUR_S = 3600;
// hourly ticks (the rolling 24 h): 1, 2, 3, 6 or 12 hours apart
const HOUR_TICKS = [1, 2, 3, 6, 12].map((n) => n * HOUR_S);
/** `14:00` of a UTC hour. */
const hourLabel = (ts: number) => new Date(ts * 1000).toISOString().slice(11, 16);
/** A day (`2025-05-14`) or an hour's start instant (`2025-05-14T11:00:00.000Z`, the rolling 24 h). */
const isHour = (bucket: string) => bucket.length > 10;

/** Bars and/or rate lines over a range of days, or of hours (buckets that are instants). */
export function trendChart(dates: string[], series: TrendSeries[], aria: string, height = 220): HTMLElement {
  const box = el('div', { class: 'chart' });
  const hasRate = series.some((s) => s.kind === 'rate');
  const hourly = dates.length > 0 && isHour(dates[0]!);
  const step = hourly ? HOUR_S : DAY_S;
  const x = dates.map((d) => (hourly ? Date.parse(d) / 1000 : dayTs(d)));
  mount(box, height, (width) => ({
    width,
    height,
    tzDate: utc,
    legend: { show: true },
    cursor: { drag: { x: false, y: false } },
    scales: {
      x: { time: true, range: (_u, min, max) => [min - step * 0.6, max + step * 0.6] },
      n: { range: (_u, _min, max) => [0, Math.max(1, max) * 1.1] },
      pct: { range: [0, 100] },
    },
    axes: [
      { stroke: COLORS.axis, grid: { show: false }, ticks: { stroke: COLORS.grid }, incrs: hourly ? HOUR_TICKS : DAY_TICKS, space: 44, values: (_u, splits) => splits.map(hourly ? hourLabel : dayLabel) },
      { scale: 'n', stroke: COLORS.axis, grid: { stroke: COLORS.grid }, ticks: { stroke: COLORS.grid }, size: 48, incrs: INT_TICKS },
      ...(hasRate ? [{ scale: 'pct', side: 1, stroke: COLORS.axis, grid: { show: false }, values: (_u: uPlot, v: number[]) => v.map((t) => `${t}%`), size: 48 } as uPlot.Axis] : []),
    ],
    series: [
      { label: hourly ? 'Hour (UTC)' : 'Day', value: (_u, v) => (v === null ? '—' : bucketLabel(new Date(v * 1000).toISOString(), hourly)) },
      ...series.map((s): uPlot.Series => s.kind === 'bars'
        ? { label: s.label, scale: 'n', fill: `${s.color ?? COLORS.bars}cc`, stroke: s.color ?? COLORS.bars, width: 0, paths: uPlot.paths.bars!({ size: [0.6, 48] }), points: { show: false } }
        : { label: s.label, scale: 'pct', stroke: s.color ?? COLORS.line, width: 2, spanGaps: false, value: (_u, v) => (v === null ? '—' : `${v} %`), points: { show: true, size: 5 } }),
    ],
  }), [x, ...series.map((s) => s.values)] as uPlot.AlignedData);
  // the plotted values, readable without the canvas (a gap is null)
  return el('figure', { class: 'figure', role: 'img', 'aria-label': aria, 'data-series': JSON.stringify(series.map((s) => s.values)) }, box);
}

/** A small line of daily values, no axes (the home page's rows). */
export function sparkline(values: number[], aria: string): HTMLElement {
  const box = el('div', { class: 'spark' });
  const x = values.map((_, i) => i);
  mount(box, 32, (width) => ({
    width,
    height: 32,
    legend: { show: false },
    cursor: { show: false },
    select: { show: false, left: 0, top: 0, width: 0, height: 0 },
    scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
    axes: [{ show: false }, { show: false }],
    series: [{}, { stroke: COLORS.bars, width: 1.5, fill: `${COLORS.bars}22`, points: { show: false } }],
    padding: [3, 2, 3, 2],
  }), [x, values]);
  return el('figure', { class: 'spark-figure', role: 'img', 'aria-label': aria }, box);
}

/** Events per minute (the live view). */
export function minuteChart(minutes: { minute: string; events: number }[], aria: string, height = 120): HTMLElement {
  const box = el('div', { class: 'chart' });
  const x = minutes.map((m) => Date.parse(m.minute) / 1000);
  mount(box, height, (width) => ({
    width,
    height,
    legend: { show: false },
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: true, range: (_u, min, max) => [min - 40, max + 40] }, y: { range: (_u, _min, max) => [0, Math.max(1, max) * 1.15] } },
    axes: [
      { stroke: COLORS.axis, grid: { show: false }, ticks: { stroke: COLORS.grid }, incrs: [60, 300, 600, 900, 1800], space: 50, values: (_u, splits) => splits.map(minuteLabel) },
      { stroke: COLORS.axis, grid: { stroke: COLORS.grid }, ticks: { stroke: COLORS.grid }, size: 40, incrs: INT_TICKS },
    ],
    series: [{}, { label: 'events', fill: `${COLORS.bars}cc`, stroke: COLORS.bars, width: 0, paths: uPlot.paths.bars!({ size: [0.7, 24] }), points: { show: false } }],
  }), [x, minutes.map((m) => m.events)]);
  return el('figure', { class: 'figure', role: 'img', 'aria-label': aria }, box);
}
