/**
 * `/` and `/examples/` serve the examples index, which links every example of the repository;
 * an example with a build (the React app) is served from its build, not from its sources.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCollector, type TestCollector } from '../helpers/collector';

const repoExamples = fileURLToPath(new URL('../../../examples', import.meta.url));

describe('the examples index of the repository', () => {
  it('links every example directory', () => {
    const html = readFileSync(join(repoExamples, 'index.html'), 'utf8');
    const dirs = readdirSync(repoExamples).filter((d) => statSync(join(repoExamples, d)).isDirectory());
    expect(dirs.length).toBeGreaterThanOrEqual(4);
    for (const d of dirs) expect(html, `examples/index.html does not mention examples/${d}/`).toMatch(new RegExp(`/examples/${d}/|examples/${d}/`));
  });
});

describe('serving the examples', () => {
  let c: TestCollector;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'waymark-examples-'));
    writeFileSync(join(dir, 'index.html'), '<h1>Waymark examples</h1>');
    mkdirSync(join(dir, 'plain'));
    writeFileSync(join(dir, 'plain', 'index.html'), '<h1>plain</h1>');
    // a buildable example: sources at its root, the build in dist/
    mkdirSync(join(dir, 'app'));
    writeFileSync(join(dir, 'app', 'package.json'), '{}');
    writeFileSync(join(dir, 'app', 'index.html'), '<script type="module" src="./src/main.tsx"></script>');
    c = await startTestCollector({ staticPaths: { examplesDir: dir } });
  });
  afterAll(async () => {
    await c?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(['/', '/examples/', '/examples'])('%s is the index', async (path) => {
    const res = await fetch(`${c.url}${path}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).toContain('Waymark examples');
  });

  it('a plain example is served from its directory', async () => {
    expect(await (await fetch(`${c.url}/examples/plain/`)).text()).toBe('<h1>plain</h1>');
  });

  it('a buildable example says how to build it, then serves its build', async () => {
    const before = await fetch(`${c.url}/examples/app/`);
    expect(before.status).toBe(404);
    expect(await before.json()).toMatchObject({ error: { code: 'example_not_built', message: expect.stringContaining('npm run build') } });
    mkdirSync(join(dir, 'app', 'dist', 'assets'), { recursive: true });
    writeFileSync(join(dir, 'app', 'dist', 'index.html'), '<script type="module" src="./assets/main.js"></script>');
    writeFileSync(join(dir, 'app', 'dist', 'assets', 'main.js'), 'console.log(1)');
    expect(await (await fetch(`${c.url}/examples/app/`)).text()).toContain('./assets/main.js');
    const js = await fetch(`${c.url}/examples/app/assets/main.js`);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
  });
});
