/** The `waymark-collector` CLI: help, first start with a demo org, migrate, purge, rebuild-rollups. */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { exited, startChildCollector } from '../helpers/child';

const run = promisify(execFile);
const cli = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'waymark-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const wm = (args: string[], env: Record<string, string> = {}) =>
  run(process.execPath, ['--import', 'tsx', cli, ...args], { env: { ...process.env, WAYMARK_CONFIG: '', ...env }, timeout: 30_000 });

describe('waymark-collector CLI', () => {
  it('--help lists the commands', async () => {
    const { stdout } = await wm(['--help']);
    for (const c of ['start', 'migrate', 'purge', 'rebuild-rollups']) expect(stdout).toContain(c);
  });

  it('a first start without a configuration creates the demo org and prints its key and a script tag', async () => {
    const dataDir = join(dir, 'demo');
    const { child, url, output } = await startChildCollector([], { WAYMARK_DATA_DIR: dataDir, WAYMARK_CONFIG: '' });
    const config = JSON.parse(readFileSync(join(dataDir, 'waymark.config.json'), 'utf8'));
    expect(output()).toContain('demo org created on this first start');
    expect(output()).toContain(config.orgs[0].apiKeys[0]);
    expect(output()).toContain(`<script src="${url}/embed/v1.js" data-org="demo" data-journey="demo-journey" data-endpoint="${url}/api/ingest"`);
    expect((await fetch(`${url}/health`)).status).toBe(200);
    child.kill('SIGTERM');
    expect((await exited(child)).code).toBe(0);
  }, 60_000);

  it('migrate, purge and rebuild-rollups run on the data directory and exit', async () => {
    const env = { WAYMARK_DATA_DIR: join(dir, 'ops') };
    expect((await wm(['migrate'], env)).stdout).toMatch(/schema up to date/);
    expect((await wm(['purge'], env)).stdout).toMatch(/purged 0 raw events/);
    expect((await wm(['rebuild-rollups', '--from', '2024-01-01'], env)).stdout).toMatch(/rebuilt counters from 2024-01-01 out of 0 raw events/);
    await expect(wm(['rebuild-rollups', '--from', 'yesterday'], env)).rejects.toMatchObject({ stderr: expect.stringMatching(/expected a date YYYY-MM-DD, got "yesterday"/) });
  }, 60_000);
});
