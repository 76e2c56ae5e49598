/**
 * `waymark-collector start`: it binds to 127.0.0.1 unless told otherwise, the banner says what
 * it really listens on, and it prints an API key only when it generated it itself.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { exited } from '../helpers/child';

const cli = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'waymark-banner-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts the CLI with exactly `args` (no --host added), resolves once the banner is complete. */
async function start(args: string[], dataDir: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', cli, 'start', '--port', '0', ...args], {
    env: { ...process.env, WAYMARK_DATA_DIR: dataDir, WAYMARK_CONFIG: '', DATABASE_URL: '', REDIS_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner in 30 s:\n${out}`)), 30_000);
    child.stdout!.on('data', () => /Script tag/.test(out) && (clearTimeout(timer), resolve()));
    child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`exited with ${code}:\n${out}`))));
  });
  const port = Number(/:(\d+)\/health/.exec(out)![1]);
  return {
    out,
    port,
    stop: async () => {
      child.kill('SIGTERM');
      const end = await exited(child);
      expect(end, out).toEqual({ code: 0, signal: null });
    },
  };
}

const reaches = (host: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect({ host, port }, () => (s.destroy(), resolve(true)));
    s.on('error', () => resolve(false));
  });
const otherAddress = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

describe('waymark-collector start: where it listens, what the banner prints', () => {
  it('binds to 127.0.0.1 by default and says so; prints the demo key only on the start that created it', async () => {
    const data = join(dir, 'default');
    const first = await start([], data);
    expect(first.out).toContain(`Waymark collector listening on http://127.0.0.1:${first.port}\n`);
    expect(first.out).toMatch(/org "demo" admin API key: sk_live_\S{20,}/);
    expect(await reaches('127.0.0.1', first.port)).toBe(true);
    if (otherAddress) expect(await reaches(otherAddress, first.port)).toBe(false);
    await first.stop();

    const second = await start([], data);
    expect(second.out).not.toMatch(/sk_live_/);
    expect(second.out).toContain(`admin API keys: orgs[].apiKeys in ${join(data, 'waymark.config.json')}`);
    await second.stop();
  }, 90_000);

  it('--host 0.0.0.0 listens on every interface, and the banner says that', async () => {
    const s = await start(['--host', '0.0.0.0'], join(dir, 'every'));
    expect(s.out).toContain(`listening on every interface (0.0.0.0 port ${s.port}), here at http://127.0.0.1:${s.port}`);
    if (otherAddress) expect(await reaches(otherAddress, s.port)).toBe(true);
    await s.stop();
  }, 60_000);

  it('never prints the keys of a configuration the user wrote', async () => {
    const file = join(dir, 'mine.json');
    writeFileSync(file, JSON.stringify({ orgs: [{ key: 'acme', apiKeys: ['sk_live_users_own_secret_key_123'], journeys: [{ key: 'signup' }] }] }));
    const s = await start(['--config', file], join(dir, 'mine'));
    expect(s.out).not.toContain('sk_live_users_own_secret_key_123');
    expect(s.out).toContain(`admin API keys: orgs[].apiKeys in ${file}`);
    expect(s.out).toContain('data-org="acme" data-journey="signup"');
    await s.stop();
  }, 60_000);
});
