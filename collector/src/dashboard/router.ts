/**
 * `GET /dashboard`: a static page over the admin API (no framework). The page, its stylesheet
 * and its one script are served with a strict Content-Security-Policy: scripts and styles only
 * from this origin (no inline code), requests only to this origin, no framing, no forms posting
 * anywhere. The API key lives in the tab's sessionStorage and travels only in `X-API-Key`.
 */
import { Router, type Response } from 'express';
import { dashboardApp } from './client-app';
import { dashboardCharts } from './client-charts';
import { DASHBOARD_CSS } from './style';
import { DASHBOARD_HTML } from './page';

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

// The client functions are self-contained (they reference nothing outside their own body), so
// their source is the served module: type-checked with the rest of the collector, no build step.
const SCRIPT = `"use strict";\nconst charts = (${dashboardCharts.toString()})();\n(${dashboardApp.toString()})(charts);\n`;

function secure(res: Response, type: string): Response {
  res.setHeader('Content-Security-Policy', DASHBOARD_CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cache-Control', 'no-cache');
  return res.type(type);
}

/** The dashboard router; mount it at the app's root. */
export function createDashboardRouter(): Router {
  const router = Router();
  router.get(['/dashboard', '/dashboard/'], (_req, res) => void secure(res, 'html').send(DASHBOARD_HTML));
  router.get('/dashboard/app.js', (_req, res) => void secure(res, 'application/javascript').send(SCRIPT));
  router.get('/dashboard/app.css', (_req, res) => void secure(res, 'text/css').send(DASHBOARD_CSS));
  return router;
}
