/**
 * The CDN embed at `/embed/v1.js` and its web-vitals add-on at `/embed/v1/vitals.js` (built by the
 * browser package into `packages/browser/dist/embed.js` and `embed-vitals.js`), and the examples
 * directory at `/examples/`. All are looked up at request time, so building the browser package
 * while the collector runs is enough.
 */
import express, { Router } from 'express';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sendError } from '../http/errors';

export interface StaticPaths {
  /** path of the built embed (default: found from `@waymark/browser` or the workspace) */
  embedFile?: string;
  /** path of the built web-vitals add-on (default: beside the embed) */
  embedVitalsFile?: string;
  /** directory served at `/examples/` (default: the repository's `examples/` when found) */
  examplesDir?: string;
}

export function createStaticRouter(paths: StaticPaths = {}): Router {
  const router = Router();
  const script = (route: string, file: () => string | undefined) =>
    router.get(route, (_req, res) => {
      const f = file();
      if (!f || !existsSync(f)) {
        return sendError(res, 404, 'embed_not_built', 'the CDN embed is not built: run `npm run build -w @waymark/browser`');
      }
      res.setHeader('Access-Control-Allow-Origin', '*');
      res.setHeader('Cache-Control', 'public, max-age=300');
      res.type('application/javascript').sendFile(f);
    });
  script('/embed/v1.js', () => paths.embedFile ?? findEmbed());
  script('/embed/v1/vitals.js', () => paths.embedVitalsFile ?? findEmbed('embed-vitals.js'));
  const examples = paths.examplesDir ?? findUp('examples');
  if (examples) router.use('/examples', express.static(examples, { index: ['index.html'], dotfiles: 'ignore' }));
  return router;
}

/** A built script of the browser package, through node resolution, else the workspace layout. */
export function findEmbed(name = 'embed.js'): string | undefined {
  try {
    const req = createRequire(import.meta.url);
    const file = join(dirname(req.resolve('@waymark/browser/package.json')), 'dist', name);
    if (existsSync(file)) return file;
  } catch {
    // not installed as a package: fall through to the workspace layout
  }
  const root = findUp('packages');
  return root ? join(root, 'browser', 'dist', name) : undefined;
}

/** Walks up from this module (then the cwd) to find a directory named `name`. */
function findUp(name: string): string | undefined {
  const starts = [dirname(fileURLToPath(import.meta.url)), process.cwd()];
  for (const start of starts) {
    let dir = resolve(start);
    for (let i = 0; i < 6; i++) {
      const candidate = join(dir, name);
      if (existsSync(candidate)) return candidate;
      const up = dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  }
  return undefined;
}
