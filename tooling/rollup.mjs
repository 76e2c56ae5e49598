// Shared rollup config factory: every published package builds ESM + CJS with bundled
// declarations (.d.ts for import, .d.cts for require) so ESM, CJS and TS users all resolve cleanly.
import typescript from '@rollup/plugin-typescript';
import terser from '@rollup/plugin-terser';
import resolve from '@rollup/plugin-node-resolve';
import { dts } from 'rollup-plugin-dts';
import { readFileSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/**
 * Writes `<file>.br` (brotli, quality 11) and `<file>.gz` (gzip -9) beside each written chunk, so
 * that the collector serves the scripts compressed without compressing on any request.
 */
export function precompress() {
  return {
    name: 'waymark-precompress',
    writeBundle(options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk') continue;
        const file = options.file ?? `${options.dir}/${chunk.fileName}`;
        const bytes = readFileSync(file);
        writeFileSync(`${file}.br`, brotliCompressSync(bytes, {
          params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
        }));
        writeFileSync(`${file}.gz`, gzipSync(bytes, { level: 9 }));
      }
    },
  };
}

/**
 * Before terser: every `const` declaration of the chunk becomes `let`, so that terser joins it with
 * the `let`s around it and brotli finds one keyword where it found two (measured -49 B on the
 * embed). The same semantics for code that type-checks (nothing assigns to a const). Found
 * through the parser, never inside a string, a comment or a regular expression.
 */
export function constToLet() {
  return {
    name: 'waymark-const-to-let',
    renderChunk(code) {
      const at = [];
      const walk = (n) => {
        if (Array.isArray(n)) return n.forEach(walk);
        if (!n || typeof n.type != 'string') return;
        if (n.type == 'VariableDeclaration' && n.kind == 'const') at.push(n.start);
        for (const k in n) if (n[k] && typeof n[k] == 'object') walk(n[k]);
      };
      walk(this.parse(code));
      let out = code;
      for (const i of at.sort((a, b) => b - a)) {
        if (out.slice(i, i + 5) != 'const') this.error(`const-to-let: expected "const" at ${i}`);
        out = out.slice(0, i) + 'let' + out.slice(i + 5);
      }
      return { code: out, map: null };
    },
  };
}

const isExternal = (deps) => (id) =>
  id.startsWith('node:') || deps.some((d) => id === d || id.startsWith(`${d}/`));

/**
 * @param {object} o
 * @param {Record<string,string>} o.entries  output name -> source file, e.g. { index: 'src/index.ts' }
 * @param {string[]} [o.external]  bare module ids left to the consumer (dependencies, peers)
 * @param {string} [o.banner]  e.g. '"use client";' which rollup would otherwise strip
 * @param {Record<string,string>} [o.define]  build-time constants, replaced by terser-free string swap
 * @param {boolean} [o.minify]
 */
export function packageConfig({ entries, external = [], banner, minify = false }) {
  const ext = isExternal(external);
  const js = {
    input: entries,
    external: ext,
    // the embed build flag's branches inside try blocks are folded too (rollup keeps all of a try block by default)
    treeshake: { tryCatchDeoptimization: false },
    plugins: [
      resolve({ extensions: ['.ts', '.tsx', '.js', '.mjs'] }),
      typescript({ tsconfig: './tsconfig.json', declaration: false, declarationMap: false, noEmitOnError: false }),
      minify && terser({ module: true, compress: { passes: 2 } }),
    ],
    onwarn(w, warn) {
      if (w.code === 'MODULE_LEVEL_DIRECTIVE') return; // re-added through `banner`
      warn(w);
    },
    output: [
      { dir: 'dist', format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js', banner },
      { dir: 'dist', format: 'cjs', entryFileNames: '[name].cjs', chunkFileNames: 'chunks/[name]-[hash].cjs', banner, exports: 'named' },
    ],
  };
  // One declaration bundle per entry (no shared declaration chunks): .d.cts files then never
  // import a .d.ts, which would make CJS consumers see ESM types.
  const types = Object.entries(entries).map(([name, file]) => ({
    input: file,
    external: ext,
    plugins: [dts({ tsconfig: './tsconfig.json' })],
    output: [
      { file: `dist/${name}.d.ts`, format: 'es' },
      { file: `dist/${name}.d.cts`, format: 'es' },
    ],
  }));
  return [js, ...types];
}

/**
 * A minified IIFE for a `<script>` tag (the CDN embed). Dependencies are bundled.
 * @param {object} o
 * @param {string} o.input
 * @param {string} o.file
 * @param {Record<string, unknown>} [o.globalDefs] terser global_defs (build-time constants)
 * @param {import('terser').CompressOptions} [o.compress] terser compress options of this script only
 * @param {string} [o.tsconfig] default ./tsconfig.json
 * @param {string[]} [o.include] TypeScript files to compile, relative to packages/: with workspace
 *   sources among them, workspace packages resolve to their sources (`@waymark/source`) instead of
 *   their builds, so that build flags (src/build.ts) reach them too
 */
export function iifeConfig({ input, file, globalDefs = {}, tsconfig = './tsconfig.json', include, compress }) {
  return {
    input,
    plugins: [
      resolve({ extensions: ['.ts', '.js', '.mjs'], browser: true, exportConditions: include ? ['@waymark/source'] : [] }),
      typescript({ tsconfig, ...(include && { include, filterRoot: '..' }), declaration: false, declarationMap: false, noEmitOnError: false }),
      constToLet(),
      terser({
        ecma: 2020,
        // passes 5 (measured -7 B against 3; more passes find nothing more); hoist_funs: one declaration block compresses better under brotli (measured -9 B on the embed);
        // inline 1: only functions without arguments are inlined (the default 3 copies bodies that brotli
        // then sees once per call site; measured -11 B). Not unsafe_comps: it negates `a < b` into `a >= b`, wrong for NaN (a data-session-timeout of "abc")
        compress: { passes: 5, global_defs: globalDefs, unsafe_arrows: true, pure_getters: true, hoist_funs: true, inline: 1, ...compress },
        // names private to the bundle (journey state, the retry queue's drain) get short names, even
        // where a DOM interface has a property of that name (builtins), as the bundle never reads those;
        // anything on the wire, in IndexedDB or on the documented API keeps its own. Also renamed: the
        // platform's parts and the tuning options the script tag cannot set (flushAt, maxQueueAge…),
        // which only the bundle itself reads (the embed's `options` is not part of its documented API),
        // and the privacy-signal switches, set only from the tag's data-respect-dnt; the transports' `send`, the step
        // scan and the options the tag cannot set (beforeSend, plugins);
        // not `clear`, which web-vitals calls on a Map in the add-on
        mangle: { properties: { regex: /^(setStep|advance|pending|complete|drain|done|forget|transport|beaconTransport|queueStore|withLock|onLifecycle|privacySignals|console|dbName|storeName|timers|storage|location|pages|steps|fields|validation|forms|dropoff|inactivityMs|rapidExitMs|flushAt|flushBytes|flushInterval|maxQueuedBatches|maxQueueAge|busy|hide|stop|list|remove|respectDoNotTrack|respectGlobalPrivacyControl|scan|send|beforeSend|plugins)$/, builtins: true } },
        // wrap_iife: `!(function(){…})()` repeats the shape of the bundle's other calls (measured -7 B)
        format: { comments: false, wrap_iife: true },
      }),
      precompress(),
    ],
    // no "use strict" prologue (12 B of the embed's 5 KB): the sources are modules written for
    // strict mode, and nothing in them behaves differently without it (no `this` outside methods,
    // no writes to read-only properties, no `arguments`, no function declarations in blocks);
    // terser sees the sloppy-mode code as what it is and compresses it as such
    output: { file, format: 'iife', sourcemap: false, strict: false },
  };
}
