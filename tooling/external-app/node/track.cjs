// CommonJS: require('@waymark/node') resolves the package's `require` build.
const { createNodeTracker, VERSION } = require('@waymark/node');
const { buildPixelUrl } = require('@waymark/node/pixel');

const tracker = createNodeTracker({ org: 'demo', journey: 'demo-journey', endpoint: process.env.ENDPOINT });
const visitor = tracker.withIdentity({ clientId: 'external-cjs' });
visitor.track('session_start', {});
visitor.track('step_view', { stepKey: 'node-cjs' });
tracker.shutdown({ timeout: 10000 }).then((r) => {
  console.log(JSON.stringify({ format: 'cjs', version: VERSION, pixel: typeof buildPixelUrl, shutdown: r }));
});
