// The dashboard's browser client: src/dashboard/client bundled with uPlot into dist/dashboard/app.js
// (an ES module the collector serves at /dashboard/app.js), and app.css = uPlot's stylesheet + ours.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';

const require = createRequire(import.meta.url);

/** Emits app.css beside app.js. */
const stylesheet = () => ({
  name: 'dashboard-css',
  buildStart() {
    this.addWatchFile('src/dashboard/client/style.css');
  },
  generateBundle() {
    const uplot = readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8');
    const ours = readFileSync(new URL('./src/dashboard/client/style.css', import.meta.url), 'utf8');
    this.emitFile({ type: 'asset', fileName: 'app.css', source: `/* uPlot (MIT) */\n${uplot}\n${ours}` });
  },
});

export default {
  input: 'src/dashboard/client/main.ts',
  plugins: [
    resolve({ browser: true, extensions: ['.ts', '.js', '.mjs'] }),
    typescript({ tsconfig: './tsconfig.json', declaration: false, declarationMap: false, noEmitOnError: false }),
    terser({ module: true, format: { comments: /^!|uPlot|MIT/ } }),
    stylesheet(),
  ],
  output: { dir: 'dist/dashboard', format: 'es', entryFileNames: 'app.js', sourcemap: false },
};
