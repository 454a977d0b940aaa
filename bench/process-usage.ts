import { readFileSync } from 'node:fs';

/** Linux clock ticks per second (USER_HZ), what /proc/<pid>/stat counts CPU time in. */
const TICKS_PER_SECOND = 100;

export interface ProcessUsage {
  /** user + system CPU time, summed over the processes. */
  cpuMicros: number;
  /** Resident set now, summed. */
  rssBytes: number;
  /** Peak resident set (VmHWM), summed. */
  peakRssBytes: number;
}

function statusKilobytes(status: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return match ? Number(match[1]) : 0;
}

/** CPU and memory of processes that are not this one (e.g. a spawned host), from /proc. */
export function processUsage(pids: readonly number[]): ProcessUsage {
  let cpuTicks = 0;
  let rssKb = 0;
  let peakKb = 0;
  for (const pid of pids) {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    cpuTicks += Number(fields[11]) + Number(fields[12]);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    rssKb += statusKilobytes(status, 'VmRSS');
    peakKb += statusKilobytes(status, 'VmHWM');
  }
  return {
    cpuMicros: (cpuTicks / TICKS_PER_SECOND) * 1e6,
    rssBytes: rssKb * 1024,
    peakRssBytes: peakKb * 1024,
  };
}
