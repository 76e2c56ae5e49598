/** The dashboard's stylesheet (served as /dashboard/app.css: the CSP forbids inline styles). */
export const DASHBOARD_CSS = `
:root { --fg: #1d2433; --muted: #6b7385; --line: #e3e6ee; --accent: #3b5bdb; --bad: #d9480f; --good: #2b8a3e; --bg: #f7f8fb; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
header { display: flex; gap: 24px; align-items: center; padding: 12px 24px; background: #fff; border-bottom: 1px solid var(--line); }
header h1 { font-size: 18px; margin: 0; }
nav { display: flex; gap: 4px; }
nav button, button { border: 1px solid var(--line); background: #fff; padding: 6px 12px; border-radius: 6px; cursor: pointer; font: inherit; }
nav button[aria-current="page"] { background: var(--accent); color: #fff; border-color: var(--accent); }
#session { margin-left: auto; display: flex; gap: 8px; align-items: center; color: var(--muted); }
main { padding: 24px; max-width: 1200px; margin: 0 auto; }
form#sign-in { max-width: 420px; display: grid; gap: 12px; background: #fff; padding: 24px; border: 1px solid var(--line); border-radius: 8px; }
label { display: grid; gap: 4px; color: var(--muted); }
input, select { font: inherit; padding: 6px 8px; border: 1px solid var(--line); border-radius: 6px; color: var(--fg); }
#range { display: flex; gap: 12px; align-items: end; margin-bottom: 16px; }
#range label { display: flex; gap: 6px; align-items: center; }
.error { color: var(--bad); min-height: 1em; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 12px; margin-bottom: 20px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 14px; }
.card .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.card .value { font-size: 26px; font-weight: 600; margin-top: 4px; }
.card .sub { color: var(--muted); }
.up { color: var(--good); } .down { color: var(--bad); }
.panel { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 16px; margin-bottom: 20px; }
.panel h3 { margin: 0 0 12px; font-size: 15px; }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); }
th { color: var(--muted); font-weight: 500; font-size: 12px; text-transform: uppercase; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.clickable { cursor: pointer; } tr.clickable:hover { background: var(--bg); }
svg { display: block; max-width: 100%; }
svg text { font: 11px system-ui, sans-serif; fill: var(--muted); }
svg .bar { fill: var(--accent); } svg .bar.drop { fill: var(--bad); }
svg .line { fill: none; stroke: var(--accent); stroke-width: 2; }
svg .line.rate { stroke: var(--good); }
svg .axis { stroke: var(--line); }
svg text.marker { fill: var(--bad); font-weight: 600; }
.row { display: flex; gap: 12px; align-items: end; margin-bottom: 12px; }
.muted { color: var(--muted); }
`;
