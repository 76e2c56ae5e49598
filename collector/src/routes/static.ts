/**
 * The CDN embed and its web-vitals add-on (built by the browser package into
 * `packages/browser/dist/embed.js` and `embed-vitals.js`), and the examples.
 *
 * - `/embed/v1.js` and `/embed/v1/vitals.js`: the current build, cached for 5 minutes, so pages
 *   pick up a new build soon; `/embed/v1.<hash>.js` and `/embed/v1/vitals.<hash>.js`: the same
 *   bytes under their content hash, cached for a year (`immutable`), for script tags with an SRI
 *   `integrity` attribute. Brotli or gzip as the browser accepts, `ETag`, `304`.
 * - `/` and `/examples/`: the examples index (`examples/index.html`); `/examples/<name>/` serves an
 *   example's build (`<name>/dist/`) when it has one, else its directory.
 *
 * Files are looked up at request time, so building while the collector runs is enough.
 */
import express, { Router, type Request, type Response } from 'express';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sendError } from '../http/errors';
import { loadScript, sendScript, type BuiltScript } from '../http/precompressed';

export interface StaticPaths {
  /** path of the built embed (default: found from `@waymark/browser` or the workspace) */
  embedFile?: string;
  /** path of the built web-vitals add-on (default: beside the embed) */
  embedVitalsFile?: string;
  /** directory served at `/examples/` (default: the repository's `examples/` when found) */
  examplesDir?: string;
}

const SHORT = 'public, max-age=300';
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** The scripts the collector serves: route prefix → file. */
function scripts(paths: StaticPaths) {
  return [
    { prefix: '/embed/v1', file: () => paths.embedFile ?? findEmbed() },
    { prefix: '/embed/v1/vitals', file: () => paths.embedVitalsFile ?? findEmbed('embed-vitals.js') },
  ];
}

/** The embed's versioned URL path and SRI value (for the banner), or undefined when it is not built. */
export function describeEmbed(paths: StaticPaths = {}): { path: string; integrity: string } | undefined {
  const s = loadScript(scripts(paths)[0]!.file());
  return s && { path: `/embed/v1.${s.hash}.js`, integrity: s.integrity };
}

export function createStaticRouter(paths: StaticPaths = {}): Router {
  const router = Router();
  for (const { prefix, file } of scripts(paths)) {
    const script = (res: Response): BuiltScript | undefined => {
      const s = loadScript(file());
      if (!s) sendError(res, 404, 'embed_not_built', 'the CDN embed is not built: run `npm run build -w @waymark/browser`');
      return s;
    };
    router.get(`${prefix}.js`, (req, res) => {
      const s = script(res);
      if (s) sendScript(req, res, s, SHORT);
    });
    router.get(new RegExp(`^${prefix.replace(/\//g, '\\/')}\\.([0-9a-f]{10})\\.js$`), (req: Request, res: Response) => {
      const s = script(res);
      if (!s) return;
      const hash = (req.params as Record<string, string>)[0];
      // only the current build is kept: an old hash must not get today's bytes under a year's caching
      if (hash !== s.hash) return sendError(res, 404, 'embed_version_not_found', `this collector serves build ${s.hash} (${prefix}.${s.hash}.js), not ${hash}; ${prefix}.js is always the current one`);
      sendScript(req, res, s, IMMUTABLE);
    });
  }
  const examples = paths.examplesDir ?? findUp('examples');
  if (examples) {
    const index = join(examples, 'index.html');
    const sendIndex = (_req: Request, res: Response) =>
      existsSync(index) ? res.sendFile(index) : sendError(res, 404, 'not_found', 'no examples index');
    router.get('/', sendIndex);
    router.get('/examples/', sendIndex);
    // an example with a build (the React app) is served from it: its sources cannot run in a browser
    for (const name of existsSync(examples) ? readdirSync(examples) : []) {
      const built = join(examples, name, 'dist');
      if (existsSync(join(examples, name, 'package.json')) && existsSync(join(examples, name, 'index.html'))) {
        const serve = express.static(built, { index: ['index.html'] });
        router.use(`/examples/${name}`, (req, res, next) =>
          existsSync(join(built, 'index.html'))
            ? serve(req, res, next)
            : sendError(res, 404, 'example_not_built', `the ${name} example is not built: run \`npm run build\` (or \`npm start\`, which builds what changed)`),
        );
      }
    }
    router.use('/examples', express.static(examples, { index: ['index.html'], dotfiles: 'ignore' }));
  }
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
