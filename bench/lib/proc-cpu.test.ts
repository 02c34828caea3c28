import { describe, expect, it } from 'vitest';
import { cpuMs, cpuMsOfStat } from './proc-cpu.ts';

describe('CPU time from /proc/<pid>/stat', () => {
  it('counts user and system ticks after the command name, even one with spaces and parentheses', () => {
    const stat =
      '4242 (node (a) b) S 1 4242 4242 0 -1 4194560 9000 0 0 0 250 75 0 0 20 0 11 0 1234 0 0';
    expect(cpuMsOfStat(stat)).toBe(3250);
  });

  it('reads this process, which has used some CPU, and 0 for no process', () => {
    expect(cpuMs(process.pid)).toBeGreaterThan(0);
    expect(cpuMs(2 ** 30)).toBe(0);
  });
});
