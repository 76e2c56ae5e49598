/**
 * A child process running `fixtures/child.ts` in a given mode, for the tests only separate
 * processes can make (SIGKILL, exit with pending timers). Every child is registered with the
 * test's `cleanup`, which SIGKILLs it if it is still running.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('../fixtures/child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../..', import.meta.url));

/** `pollMs`: how often `firstLine` looks at the output (short where the test acts on the moment it prints) */
export function runChild(mode: string, env: Record<string, string>, cleanup: Array<() => unknown>, pollMs = 20) {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, mode], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  cleanup.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  /** the child's first line of output, parsed as JSON (bounded wait: 30 s) */
  const firstLine = async <T,>(): Promise<T> => {
    const end = Date.now() + 30_000;
    while (!stdout.includes('\n')) {
      if (Date.now() > end || child.exitCode !== null) throw new Error(`child printed nothing; stderr: ${stderr}`);
      await new Promise((r) => setTimeout(r, pollMs));
    }
    return JSON.parse(stdout.slice(0, stdout.indexOf('\n'))) as T;
  };
  return { child: child as ChildProcess, exited, firstLine, stderr: () => stderr };
}
