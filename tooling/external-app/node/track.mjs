// ES module: import resolves the package's `import` build.
import { createNodeTracker, VERSION } from '@waymark/node';
import { buildPixelUrl } from '@waymark/node/pixel';

const tracker = createNodeTracker({ org: 'demo', journey: 'demo-journey', endpoint: process.env.ENDPOINT });
const visitor = tracker.withIdentity({ clientId: 'external-esm' });
visitor.track('session_start', {});
visitor.track('step_view', { stepKey: 'node-esm' });
const r = await tracker.shutdown({ timeout: 10000 });
console.log(JSON.stringify({ format: 'esm', version: VERSION, pixel: typeof buildPixelUrl, shutdown: r }));
