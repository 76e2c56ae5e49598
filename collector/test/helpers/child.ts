/** Starts the collector CLI in a child process (from source through tsx) and finds its URL. */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { testDatabaseFor, testStoreEngine } from '../../src/store/postgres/testing';

const cli = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));
const root = fileURLToPath(new URL('../../..', import.meta.url));

export interface ChildCollector {
  child: ChildProcess;
  url: string;
  output: () => string;
}

export async function startChildCollector(args: string[], env: Record<string, string> = {}): Promise<ChildCollector> {
  // WAYMARK_TEST_STORE=postgres: the child uses the PostgreSQL schema of its data directory
  const dataDir = args[args.indexOf('--data-dir') + 1];
  const pg = testStoreEngine() === 'postgres' && args.includes('--data-dir') && dataDir ? await testDatabaseFor(resolve(dataDir)) : undefined;
  const pgEnv: Record<string, string> = pg ? { DATABASE_URL: pg.url, WAYMARK_DATABASE_SCHEMA: pg.schema } : {};
  const child = spawn(process.execPath, ['--import', 'tsx', cli, 'start', '--host', '127.0.0.1', '--port', '0', ...args], {
    cwd: root,
    env: { ...process.env, ...pgEnv, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`collector did not start in 30 s:\n${out}`)), 30_000);
    const check = () => {
      const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`collector exited with ${code}:\n${out}`));
    });
  });
  return { child, url, output: () => out };
}

export function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}
