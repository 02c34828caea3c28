// pnpm bench read-cost [reads] [meeting|networks]: what one staff read of a meeting (GET
// /api/meetings/:id, a meeting of 15), or of the dashboard's network list (GET /api/networks,
// the meeting's network), costs in CPU: the signal service's and its PostgreSQL backends' CPU time
// (/proc/<pid>/stat) over N reads, eight at a time over kept-alive connections (closed loop:
// nothing queues, so a loaded machine slows it down without failing it). CPU time per request
// is far steadier than latency on a shared machine; 1000 / (signal + PostgreSQL ms) is the
// reads one core serves. PostgreSQL: TEST_DATABASE_URL (on PGlite the database's work is in
// the signal process).
// SIGNAL_CPU_PROF=<dir>: the signal service runs with `--cpu-prof` and writes its profile there
// when the bench stops it; `node --import tsx bench/lib/cpu-profile.ts <file>` says where the
// time went (self time per function and per package).
import { execFileSync } from 'node:child_process';
import { Agent, request } from 'node:http';
import { loadavg } from 'node:os';
import { exitOnSignals, prepareMeeting, startStack } from '@polyphony/stack';
import { cpuMs } from './lib/proc-cpu.ts';
exitOnSignals();
const READ = process.argv[3] ?? 'meeting';
if (READ !== 'meeting' && READ !== 'networks') throw new Error(`no such read: ${READ}`);
const profileDir = process.env.SIGNAL_CPU_PROF;
const stack = await startStack(
  profileDir ? { signalEnv: { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profileDir}` } } : {},
);
try {
  const p = await prepareMeeting(
    stack.signal.url,
    stack.origin,
    Array.from({ length: 14 }, (_, i) => ({ name: `R ${i}`, relationship: 'family' })),
  );
  const cookie = p.admin.cookieHeader();
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  const url = new URL(stack.signal.url);
  const get = () =>
    new Promise<number>((resolve) => {
      const r = request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          path: READ === 'networks' ? '/api/networks' : `/api/meetings/${p.meetingId}`,
          headers: { cookie },
        },
        (res) => {
          res.resume();
          res.once('end', () => resolve(res.statusCode!));
        },
      );
      r.once('error', () => resolve(0));
      r.end();
    });
  const run = async (n: number) => {
    let bad = 0;
    let i = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (i++ < n) if ((await get()) !== 200) bad++;
      }),
    );
    return bad;
  };
  await run(1000);
  const pg = !process.env.TEST_DATABASE_URL
    ? []
    : execFileSync(
        'psql',
        [
          process.env.TEST_DATABASE_URL!,
          '-Atc',
          "select pid from pg_stat_activity where application_name = 'polyphony-signal'",
        ],
        { encoding: 'utf8' },
      )
        .split('\n')
        .filter(Boolean)
        .map(Number);
  const pids = [stack.signal.process.child.pid!, ...pg];
  const N = Number(process.argv[2] ?? 3000);
  const before = pids.map(cpuMs);
  const t0 = performance.now();
  const bad = await run(N);
  if (bad > 0) process.exitCode = 1;
  const secs = (performance.now() - t0) / 1000;
  const used = pids.map((pid, k) => cpuMs(pid) - before[k]!);
  console.log(
    `${N} reads (${READ}), ${bad} bad, ${(N / secs).toFixed(0)}/s closed loop (8 at once); CPU per read: signal ${(used[0]! / N).toFixed(2)} ms, PostgreSQL ${(used.slice(1).reduce((a, b) => a + b, 0) / N).toFixed(2)} ms; load ${loadavg()
      .map((v) => v.toFixed(1))
      .join(' ')}`,
  );
} finally {
  await stack.stop();
}
