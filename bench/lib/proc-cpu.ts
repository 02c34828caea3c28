import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's CPU times (USER_HZ: 100 on Linux). */
const TICKS_PER_SECOND = 100;

/**
 * CPU time (user + system, ms) a process has used so far, from the text of its
 * `/proc/<pid>/stat`. The command name (field 2) may hold spaces and parentheses: fields are
 * counted from the last `)`.
 */
export function cpuMsOfStat(stat: string): number {
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state); utime and stime are fields 14 and 15.
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error('unreadable stat');
  return ((utime + stime) * 1000) / TICKS_PER_SECOND;
}

/** CPU time (ms) process `pid` has used so far; 0 once it is gone. */
export function cpuMs(pid: number): number {
  try {
    return cpuMsOfStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return 0;
  }
}

/** CPU used by each of `pids` between `start()` and `stop()`, ms and share of one core. */
export function cpuMeter(pids: readonly number[]) {
  let from = pids.map(cpuMs);
  let t0 = performance.now();
  return {
    start() {
      from = pids.map(cpuMs);
      t0 = performance.now();
    },
    stop(): { ms: number[]; coreShare: number[]; seconds: number } {
      const seconds = (performance.now() - t0) / 1000;
      const ms = pids.map((p, i) => cpuMs(p) - from[i]!);
      return { ms, coreShare: ms.map((m) => m / 1000 / seconds), seconds };
    },
  };
}
