#!/usr/bin/env node
// Runs the whole test suite several times in a row while every core is kept busy, to find the
// tests that only pass on an idle machine. The load is `stress-ng --cpu <cores>` when Debian's
// stress-ng is installed, else one busy-looping child process per core; it stops with the runs
// (and by itself after --max-minutes, should this script be killed).
//
//   node tooling/test-loaded.mjs [--runs 5] [--max-minutes 120] [-- <vitest args>]
//
// The build runs once first (as `npm test` does); each run is `npm run typecheck` + `vitest run`.
import { spawn, spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';

const sep = process.argv.indexOf('--');
const { values } = parseArgs({
  args: process.argv.slice(2, sep < 0 ? undefined : sep),
  options: { runs: { type: 'string', default: '5' }, 'max-minutes': { type: 'string', default: '120' } },
});
const vitestArgs = sep < 0 ? [] : process.argv.slice(sep + 1);
const runs = Number(values.runs);
const maxSeconds = Number(values['max-minutes']) * 60;
const cores = availableParallelism();

function startLoad() {
  if (spawnSync('stress-ng', ['--version'], { stdio: 'ignore' }).status === 0) {
    const p = spawn('stress-ng', ['--cpu', String(cores), '--timeout', `${maxSeconds}s`, '--quiet'], { stdio: 'ignore' });
    return { what: `stress-ng --cpu ${cores}`, stop: () => p.kill('SIGTERM') };
  }
  const busy = `const end = Date.now() + ${maxSeconds * 1000}; while (Date.now() < end) {}`;
  const ps = Array.from({ length: cores }, () => spawn(process.execPath, ['-e', busy], { stdio: 'ignore' }));
  return { what: `${cores} busy-looping node processes`, stop: () => ps.forEach((p) => p.kill('SIGTERM')) };
}

const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit' }).status ?? 1;

if (run('npm', ['run', 'build', '--silent']) !== 0) process.exit(1);
const load = startLoad();
process.on('exit', load.stop);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));
console.log(`\n${runs} runs of the whole suite under load (${load.what})`);
const results = [];
for (let i = 1; i <= runs; i++) {
  const started = Date.now();
  const status = run('npm', ['run', 'typecheck', '--silent']) || run('npx', ['vitest', 'run', ...vitestArgs]);
  results.push({ run: i, status, seconds: Math.round((Date.now() - started) / 1000) });
  console.log(`\n=== run ${i}/${runs}: ${status === 0 ? 'passed' : 'FAILED'} in ${results.at(-1).seconds} s\n`);
}
load.stop();
console.table(results);
process.exit(results.every((r) => r.status === 0) ? 0 : 1);
