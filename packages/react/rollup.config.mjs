import { packageConfig } from '../../tooling/rollup.mjs';

// react/jsx-runtime is covered by the `react/` prefix rule of packageConfig's externals.
const external = ['react', 'react-dom', '@waymark/browser', '@waymark/core'];

export default [
  // The hooks are client-only: keep Next.js's `"use client"` directive at the top of the output.
  ...packageConfig({ entries: { index: 'src/index.ts' }, external, banner: '"use client";' }),
  // Types only, without the directive, so server components can import them freely.
  ...packageConfig({ entries: { types: 'src/types.ts' }, external }),
];
