/**
 * The CDN embed at `/embed/v1.js` (built by the browser package into `packages/browser/dist/embed.js`)
 * and the examples directory at `/examples/`. Both are looked up at request time, so building the
 * browser package while the collector runs is enough.
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
  /** directory served at `/examples/` (default: the repository's `examples/` when found) */
  examplesDir?: string;
}

export function createStaticRouter(paths: StaticPaths = {}): Router {
  const router = Router();
  router.get('/embed/v1.js', (_req, res) => {
    const file = paths.embedFile ?? findEmbed();
    if (!file || !existsSync(file)) {
      return sendError(res, 404, 'embed_not_built', 'the CDN embed is not built: run `npm run build -w @waymark/browser`');
    }
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.type('application/javascript').sendFile(file);
  });
  const examples = paths.examplesDir ?? findUp('examples');
  if (examples) router.use('/examples', express.static(examples, { index: ['index.html'], dotfiles: 'ignore' }));
  return router;
}

/** The browser package's built embed, through node resolution, else the workspace layout. */
export function findEmbed(): string | undefined {
  try {
    const req = createRequire(import.meta.url);
    const file = join(dirname(req.resolve('@waymark/browser/package.json')), 'dist', 'embed.js');
    if (existsSync(file)) return file;
  } catch {
    // not installed as a package: fall through to the workspace layout
  }
  const root = findUp('packages');
  return root ? join(root, 'browser', 'dist', 'embed.js') : undefined;
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
