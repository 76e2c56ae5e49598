// size-limit only discovers `.size-limit.*` or package.json; the budgets live in size-limit.json.
const checks = require('./size-limit.json');

// The embed is served byte for byte as built (terser-minified IIFE). size-limit's esbuild pass would
// re-minify it and measure a different file (its renaming compresses ~160 B worse than terser's), so
// the copy loader hands the shipped bytes through unchanged and the check measures what users download.
const asShipped = (config) => ({ ...config, loader: { ...config.loader, '.js': 'copy' } });

module.exports = checks.map((check) =>
  check.path && !check.import ? { ...check, modifyEsbuildConfig: asShipped } : check,
);
