// pnpm bench control [seconds]: the control plane (product.md section 10: HTTP p99 ≤ 20 ms at
// 500 req/s; event fan-out to 15 sockets p99 ≤ 10 ms), against the real signal service on the
// embedded database, with a meeting of 15 people each holding a live channel.
//
// HTTP: open-loop load at 500 requests/s from this process (the service runs in its own), each
// request timed from when it was due. Baseline: GET /api/health at the same rate, the floor
// of the HTTP stack itself. Rows: a staff read of the meeting, the staff dashboard's network
// list, and a meeting's mix (reads, with one in ten a guest's command that commits an event).
//
// The embedded database (PGlite, what `npm start` runs) unless TEST_DATABASE_URL points at a
// PostgreSQL server, as in the tests; the report's name says which.
//
// Several nodes (PostgreSQL only; `pnpm bench control [seconds] [total rate]`, default 2000/s):
// the staff read of the meeting at the total rate on one signal node (the baseline of the same
// run), then spread over two signal nodes on the same database, as a load balancer would
// (round robin). Requests go over keep-alive HTTP/1.1 connections (`node:http`), the way a
// balancer holds them, so the figures are the servers' rather than this process's fetch. The
// load average is printed beside the figures (the machine is shared), and so is the CPU time
// each request cost the signal nodes and their PostgreSQL backends (from /proc/<pid>/stat), which
// a loaded machine does not distort as much as latency: 1000 / (ms per request) is what one
// core serves.
//
// SIGNAL_CPU_PROF=<dir>: the signal service runs with `--cpu-prof` and writes its profile there
// when the bench stops it (open it in Chrome's DevTools or read it with bench/lib/cpu-profile.ts).
//
// Fan-out: each event's own timestamp (taken inside the transaction, before the commit) to
// its arrival at the last of the 15 live channels. Baseline: a bare `ws` server in a process
// of its own stamping a message and sending it to 15 sockets.
import { execFileSync, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Agent, request as httpRequest } from 'node:http';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import {
  ApiClient,
  connectLive,
  exitOnSignals,
  joinByLink,
  prepareMeeting,
  ROOT,
  startSignal,
  startStack,
  type LiveClient,
  type RunningSignal,
} from '@polyphony/stack';
import { fanoutDelays, openLoop, type LoadResult } from './lib/load.ts';
import { cpuMeter } from './lib/proc-cpu.ts';
import { report, summarise } from './lib/stats.ts';
import type { BroadcastReady, BroadcastRequest } from './lib/ws-broadcast.ts';

const SECONDS = Number(process.argv[2] ?? 10);
const RATE = 500;
const SOCKETS = 15;
const GUESTS = SOCKETS - 1;
/** Events per second for the quiet fan-out phase. */
const EVENT_RATE = 25;
/** Requests per second in total for the several-node section. */
const TOTAL_RATE = Number(process.argv[3] ?? 2000);

exitOnSignals();
const csrfSecret = randomBytes(32).toString('base64url');
const profileDir = process.env.SIGNAL_CPU_PROF;
const signalEnv = profileDir
  ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profileDir}` }
  : undefined;
const stack = await startStack({ csrfSecret, ...(signalEnv ? { signalEnv } : {}) });
const load = () =>
  loadavg()
    .map((v) => v.toFixed(2))
    .join(' ');

/** Process ids of the signal service's PostgreSQL backends (by their application name). */
function backends(): number[] {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return [];
  const out = execFileSync(
    'psql',
    [url, '-Atc', "select pid from pg_stat_activity where application_name = 'polyphony-signal'"],
    { encoding: 'utf8' },
  );
  return out.split('\n').filter(Boolean).map(Number);
}

/** GET `path` on one of `bases` (round robin) over kept-alive connections; true on a 200. */
function keptAlive(bases: readonly string[], path: string, cookie: string) {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const targets = bases.map((b) => new URL(b));
  return (i: number) =>
    new Promise<boolean>((resolve) => {
      const target = targets[i % targets.length]!;
      const req = httpRequest(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path,
          headers: { cookie, origin: stack.origin },
        },
        (res) => {
          res.resume();
          res.once('end', () => resolve(res.statusCode === 200));
        },
      );
      req.once('error', () => resolve(false));
      req.end();
    });
}
const log = (line: string) => process.stdout.write(`[control] ${line}\n`);

/** Arrival times (wall clock) of every live event, by seq, over a set of sockets. */
function collectArrivals(sockets: readonly WebSocket[]) {
  const arrivals = new Map<number, number[]>();
  const stamps = new Map<number, number>();
  const onMessage = (data: WebSocket.RawData) => {
    // sub-millisecond arrival; stamps are whole milliseconds (ISO), the bare server's as well
    const at = performance.timeOrigin + performance.now();
    const m = JSON.parse(String(data)) as { type: string; seq?: number; at?: string };
    if (m.type !== 'event' || m.seq === undefined || m.at === undefined) return;
    stamps.set(m.seq, Date.parse(m.at));
    const list = arrivals.get(m.seq);
    if (list) list.push(at);
    else arrivals.set(m.seq, [at]);
  };
  for (const ws of sockets) ws.on('message', onMessage);
  return {
    /** Stops collecting; the delays of the events seen meanwhile. */
    finish() {
      for (const ws of sockets) ws.off('message', onMessage);
      return fanoutDelays(stamps, arrivals, sockets.length);
    },
  };
}

function checked(label: string, r: LoadResult): LoadResult {
  log(
    `${label}: ${r.latenciesMs.length} requests at ${r.achievedPerSecond.toFixed(0)}/s, ${r.failures} failed`,
  );
  if (r.failures > 0) process.exitCode = 1;
  return r;
}

async function bareFanout(): Promise<number[]> {
  const child = fork(join(ROOT, 'bench/lib/ws-broadcast.ts'), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      child.once('message', (m: BroadcastReady) => resolve(m.port));
      child.once('exit', () => reject(new Error('broadcast server exited')));
    });
    const sockets = await Promise.all(
      Array.from({ length: SOCKETS }, async () => {
        const ws = new WebSocket(`ws://127.0.0.1:${port}`);
        await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
        return ws;
      }),
    );
    const arrivals = collectArrivals(sockets);
    await openLoop({
      perSecond: EVENT_RATE,
      seconds: SECONDS * 2,
      send: async (i) => child.send({ type: 'send', seq: i + 1 } satisfies BroadcastRequest),
    });
    await new Promise((r) => setTimeout(r, 200));
    const { delaysMs, missing } = arrivals.finish();
    if (missing > 0) throw new Error(`bare fan-out: ${missing} messages missed a socket`);
    for (const ws of sockets) ws.close();
    return delaysMs;
  } finally {
    child.disconnect();
  }
}

try {
  // A meeting of 15: the facilitator and 14 admitted guests, each with a live channel.
  const members = Array.from({ length: GUESTS }, (_, i) => ({
    name: `Relative ${i}`,
    relationship: 'family',
  }));
  const prepared = await prepareMeeting(stack.signal.url, stack.origin, members);
  const { admin, meetingId } = prepared;
  await admin.call('POST', `/api/meetings/${meetingId}/participants/me`, {});
  const lives: LiveClient[] = [
    await connectLive(stack.signal.url, stack.origin, meetingId, admin.cookieHeader()),
  ];
  const guests: ApiClient[] = [];
  for (const link of prepared.links.filter((l) => l.memberId !== null)) {
    const guest = await joinByLink(stack.signal.url, stack.origin, link.token, link.name);
    await admin.call(
      'POST',
      `/api/meetings/${meetingId}/participants/${guest.participantId}/admit`,
    );
    lives.push(
      await connectLive(stack.signal.url, stack.origin, meetingId, guest.client.cookieHeader()),
    );
    guests.push(guest.client);
  }
  log(`meeting of ${lives.length} with a live channel each, on ${stack.database.kind}`);

  const ok = (call: Promise<unknown>) => call.then(() => true);
  const health = async () => (await fetch(`${stack.signal.url}/api/health`)).ok;
  const readMeeting = () => ok(admin.call('GET', `/api/meetings/${meetingId}`));
  const listNetworks = () => ok(admin.call('GET', '/api/networks'));
  // Each guest alternates between declaring a companion and none: every call commits an event.
  const declared = guests.map(() => false);
  const changeCompanions = (i: number) => {
    const g = i % guests.length;
    declared[g] = !declared[g];
    return ok(
      guests[g]!.call('PATCH', `/api/meetings/${meetingId}/participants/me`, {
        companions: declared[g] ? ['Neighbour'] : [],
      }),
    );
  };

  // Warm up every path (JIT, caches, connections) before anything is counted.
  await openLoop({ perSecond: 200, seconds: 2, send: health });
  await openLoop({ perSecond: 200, seconds: 2, send: readMeeting });
  await openLoop({ perSecond: 100, seconds: 1, send: listNetworks });
  await openLoop({ perSecond: 20, seconds: 1, send: changeCompanions });
  await new Promise((r) => setTimeout(r, 300));

  const run = (label: string, send: (i: number) => Promise<boolean>) =>
    openLoop({ perSecond: RATE, seconds: SECONDS, send }).then((r) => checked(label, r));
  const baseline = await run('GET /api/health', health);
  const meeting = await run('GET /api/meetings/:id', readMeeting);
  const networks = await run('GET /api/networks', listNetworks);

  const sockets = lives.map((l) => l.ws);
  const underLoad = collectArrivals(sockets);
  const mixed = await run('mix', (i) => (i % 10 === 9 ? changeCompanions(i) : readMeeting()));
  await new Promise((r) => setTimeout(r, 300));
  const loaded = underLoad.finish();

  const quiet = collectArrivals(sockets);
  await openLoop({ perSecond: EVENT_RATE, seconds: SECONDS * 2, send: changeCompanions }).then(
    (r) => checked('companion changes', r),
  );
  await new Promise((r) => setTimeout(r, 300));
  const quietFanout = quiet.finish();
  for (const f of [loaded, quietFanout]) {
    if (f.missing > 0) {
      log(`${f.missing} events did not reach all ${SOCKETS} live channels`);
      process.exitCode = 1;
    }
  }
  for (const l of lives) l.close();
  const bare = await bareFanout();

  // Several nodes: one more signal node on the same PostgreSQL database.
  let scale: { one: LoadResult; two: LoadResult; loadOne: string; loadTwo: string } | null = null;
  if (stack.database.kind === 'postgres') {
    const second: RunningSignal = await startSignal({
      livekit: stack.livekit,
      database: stack.database.env,
      publicOrigin: stack.origin,
      csrfSecret,
      ...(signalEnv ? { extraEnv: signalEnv } : {}),
    });
    try {
      const path = `/api/meetings/${meetingId}`;
      const cookie = admin.cookieHeader();
      const one = keptAlive([stack.signal.url], path, cookie);
      const two = keptAlive([stack.signal.url, second.url], path, cookie);
      await openLoop({ perSecond: 400, seconds: 2, send: one });
      await openLoop({ perSecond: 400, seconds: 2, send: two });
      const pids = [stack.signal.process.child.pid!, second.process.child.pid!, ...backends()];
      const meter = cpuMeter(pids);
      const cpuLine = (what: string, n: number) => {
        const { ms, coreShare } = meter.stop();
        const signal = ms[0]! + ms[1]!;
        const database = ms.slice(2).reduce((a, b) => a + b, 0);
        log(
          `${what}: CPU per request ${(signal / n).toFixed(2)} ms signal + ${(database / n).toFixed(2)} ms PostgreSQL; ` +
            `signal nodes at ${coreShare
              .slice(0, 2)
              .map((c) => `${(c * 100).toFixed(0)}%`)
              .join(' / ')} of a core`,
        );
      };
      const loadOne = load();
      meter.start();
      const oneNode = await openLoop({ perSecond: TOTAL_RATE, seconds: SECONDS, send: one });
      cpuLine('one node', oneNode.latenciesMs.length);
      checked(`one node, GET meeting at ${TOTAL_RATE}/s (load ${loadOne})`, oneNode);
      const loadTwo = load();
      meter.start();
      const twoNodes = await openLoop({ perSecond: TOTAL_RATE, seconds: SECONDS, send: two });
      cpuLine('two nodes', twoNodes.latenciesMs.length);
      checked(`two nodes, GET meeting at ${TOTAL_RATE}/s in total (load ${loadTwo})`, twoNodes);
      scale = { one: oneNode, two: twoNodes, loadOne, loadTwo };
    } finally {
      await second.stop();
    }
  }

  const target = { p99: 20 };
  const db = stack.database.kind;
  report(
    `control-http-${db}`,
    { label: `GET /api/health at ${RATE}/s`, samplesMs: baseline.latenciesMs },
    [
      { label: `staff GET meeting at ${RATE}/s`, samplesMs: meeting.latenciesMs, target },
      { label: `staff GET networks at ${RATE}/s`, samplesMs: networks.latenciesMs, target },
      {
        label: `meeting mix at ${RATE}/s (1 in 10 commits)`,
        samplesMs: mixed.latenciesMs,
        target,
      },
    ],
  );
  report(
    `control-fanout-${db}`,
    { label: `bare ws → last of ${SOCKETS} sockets`, samplesMs: bare },
    [
      {
        label: `event → last of ${SOCKETS} live channels`,
        samplesMs: quietFanout.delaysMs,
        target: { p99: 10 },
      },
      {
        label: `same, during the ${RATE}/s mix`,
        samplesMs: loaded.delaysMs,
        target: { p99: 10 },
      },
    ],
  );
  if (scale) {
    report(
      `control-nodes-${db}`,
      {
        label: `one node: staff GET meeting at ${TOTAL_RATE}/s (load ${scale.loadOne})`,
        samplesMs: scale.one.latenciesMs,
        target,
      },
      [
        {
          label: `two nodes: the same at ${TOTAL_RATE}/s in total (load ${scale.loadTwo})`,
          samplesMs: scale.two.latenciesMs,
          target,
        },
      ],
    );
    const [a, b] = [summarise(scale.one.latenciesMs), summarise(scale.two.latenciesMs)];
    log(
      `two nodes / one node: p50 ${(b.p50 / a.p50).toFixed(2)}, p99 ${(b.p99 / a.p99).toFixed(2)}; ` +
        `achieved ${scale.one.achievedPerSecond.toFixed(0)}/s and ${scale.two.achievedPerSecond.toFixed(0)}/s`,
    );
  }
} finally {
  await stack.stop();
}
