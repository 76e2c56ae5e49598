/**
 * `GET /dashboard`: a static page over the admin API. The page, its stylesheet and its one
 * script (the client in `client/`, bundled with uPlot into `dist/dashboard/` by the collector's
 * build) are served with a strict Content-Security-Policy: scripts and styles only from this
 * origin (no inline code), requests only to this origin, no framing, no forms posting anywhere.
 * The API key lives in the tab's sessionStorage and travels only in `X-API-Key`.
 */
import { Router, type Response } from 'express';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dashboardHtml } from './page';

/** The policy sent with every dashboard response. */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Where the built client is: `dist/dashboard` of this package (from `src/` or `dist/`, installed or not). */
export function findDashboardAssets(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'dist', 'dashboard');
    if (existsSync(join(candidate, 'app.js'))) return candidate;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}

/** A name of the built assets (their sizes and times): a new build changes it, so old cached copies are not used. */
function buildVersion(dir: string | undefined): string {
  if (!dir) return '0';
  let v = '';
  for (const name of ['app.js', 'app.css']) {
    try {
      const st = statSync(join(dir, name));
      v += `${st.size.toString(36)}${Math.floor(st.mtimeMs).toString(36)}`;
    } catch {
      v += '0';
    }
  }
  return v;
}

function secure(res: Response): Response {
  res.setHeader('Content-Security-Policy', DASHBOARD_CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cache-Control', 'no-cache');
  return res;
}

/** The dashboard router; mount it at the app's root. `assetsDir` overrides where app.js is read. */
export function createDashboardRouter(assetsDir?: string): Router {
  const router = Router();
  router.get(['/dashboard', '/dashboard/'], (_req, res) => void secure(res).type('html').send(dashboardHtml(buildVersion(assetsDir ?? findDashboardAssets()))));
  const asset = (name: string, type: string) =>
    router.get(`/dashboard/${name}`, (req, res) => {
      const dir = assetsDir ?? findDashboardAssets();
      if (!dir || !existsSync(join(dir, name))) {
        return void secure(res).status(404).type('application/javascript').send(
          `console.error("Waymark: the dashboard is not built; run \\"npm run build -w @waymark/collector\\"");\n`,
        );
      }
      secure(res).type(type);
      // the URL names this build: the browser keeps it (no revalidation per page) until the next build
      if (req.query.v === buildVersion(dir)) res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
      res.sendFile(join(dir, name), { cacheControl: false });
    });
  asset('app.js', 'application/javascript');
  asset('app.css', 'text/css');
  return router;
}
