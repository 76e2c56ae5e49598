/**
 * Plain-SVG charts of the dashboard, built with DOM APIs (createElementNS, textContent): no
 * library, no innerHTML. This function runs IN THE BROWSER: its source is served as part of
 * /dashboard/app.js, so it must not reference anything outside its own body.
 */
export interface DashboardCharts {
  /** Daily starts as bars and the completion rate (0-100 %) as a line. */
  trend(days: { date: string; starts: number; completion_rate: number }[]): SVGSVGElement;
  /** Horizontal funnel bars, the largest drop marked. */
  funnel(steps: { step_index: number; step_id: string; users: number; pct_of_starts: number; largest_drop: boolean }[]): SVGSVGElement;
}

export function dashboardCharts(): DashboardCharts {
  const NS = 'http://www.w3.org/2000/svg';
  const svg = <K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] => {
    const e = document.createElementNS(NS, tag);
    for (const k of Object.keys(attrs)) e.setAttribute(k, String(attrs[k]));
    if (text !== undefined) e.textContent = text;
    return e;
  };

  function trend(days: { date: string; starts: number; completion_rate: number }[]): SVGSVGElement {
    const W = 900, H = 220, L = 40, R = 40, T = 10, B = 30;
    const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', 'aria-label': 'Daily starts and completion rate' });
    const max = Math.max(1, ...days.map((d) => d.starts));
    const step = (W - L - R) / Math.max(1, days.length);
    const y = (v: number) => T + (H - T - B) * (1 - v / max);
    const yr = (r: number) => T + (H - T - B) * (1 - r / 100);
    root.append(svg('line', { class: 'axis', x1: L, x2: W - R, y1: H - B, y2: H - B }));
    root.append(svg('text', { x: 2, y: T + 10 }, String(max)), svg('text', { x: W - R + 4, y: T + 10 }, '100%'));
    const points: string[] = [];
    days.forEach((d, i) => {
      const x = L + i * step;
      const bar = svg('rect', { class: 'bar', x: x + step * 0.15, width: Math.max(1, step * 0.7), y: y(d.starts), height: H - B - y(d.starts) });
      bar.append(svg('title', {}, `${d.date}: ${d.starts} starts, ${d.completion_rate}% completed`));
      root.append(bar);
      points.push(`${x + step / 2},${yr(d.completion_rate)}`);
      if (days.length <= 14 || i % Math.ceil(days.length / 10) === 0) root.append(svg('text', { x: x + 2, y: H - 10 }, d.date.slice(5)));
    });
    root.append(svg('polyline', { class: 'line rate', points: points.join(' ') }));
    return root;
  }

  function funnel(steps: { step_index: number; step_id: string; users: number; pct_of_starts: number; largest_drop: boolean }[]): SVGSVGElement {
    const W = 900, row = 30, L = 220, R = 200;
    const root = svg('svg', { viewBox: `0 0 ${W} ${row * steps.length + 10}`, width: W, height: row * steps.length + 10, role: 'img', 'aria-label': 'Step funnel' });
    steps.forEach((s, i) => {
      const y = 5 + i * row;
      const w = ((W - L - R) * Math.min(100, s.pct_of_starts)) / 100;
      root.append(svg('text', { x: 0, y: y + 18 }, `Step ${s.step_index + 1}: ${s.step_id}`));
      root.append(svg('rect', { class: s.largest_drop ? 'bar drop' : 'bar', x: L, y, width: Math.max(1, w), height: row - 8 }));
      root.append(svg('text', { x: L + w + 8, y: y + 18 }, `${s.pct_of_starts}% (${s.users} users)`));
      if (s.largest_drop) root.append(svg('text', { class: 'marker', x: W - R + 90, y: y + 18, 'data-testid': 'dropoff-marker' }, '◀ drop-off'));
    });
    return root;
  }

  return { trend, funnel };
}
