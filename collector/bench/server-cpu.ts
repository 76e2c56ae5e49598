/**
 * CPU seconds used so far by the local PostgreSQL server, read from /proc: every process named
 * `postgres` (backends, walwriter, checkpointer…) plus the time of the children the postmaster
 * has already reaped, so a backend that exits between two samples still counts. The export
 * benchmark takes the difference around each stream, to see how the wall-clock splits between
 * the collector's CPU and the server's. Null when /proc is not there (not Linux) or no local
 * server runs (a remote database): the benchmark then leaves the column empty.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_S = 100; // USER_HZ, 100 on every Linux the benchmark runs on

export function postgresCpuSeconds(): number | null {
  let ticks = 0;
  let found = false;
  let dirs: string[];
  try {
    dirs = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return null;
  }
  for (const pid of dirs) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    const close = stat.lastIndexOf(')');
    if (stat.slice(stat.indexOf('(') + 1, close) !== 'postgres') continue;
    // fields after "pid (comm)": state is field 3, utime 14, stime 15, cutime 16, cstime 17
    const f = stat.slice(close + 2).split(' ');
    ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
    found = true;
  }
  return found ? ticks / TICKS_PER_S : null;
}
