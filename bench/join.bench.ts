// pnpm bench join [runs] [browserRuns] [e2ee]: a facilitator's admit → the guest's first remote audio,
// through the real flow (personal link, lobby, admission, live channel, token, LiveKit), beside
// a bare LiveKit connect-and-hear in a room of its own, both measured in this run on this machine:
// first with rtc-node guests (lib/join-run.ts; `pnpm bench impaired` runs the same under a bad
// network), then with the product's own pages in Chromium beside bare livekit-client in the same
// page (lib/join-browser.ts), where the facilitator is rtc-node and so the meeting's encryption
// is off; last, with a facilitator that is a real staff page, the time until the guest's page
// hears the facilitator (the tone decrypted) in an end-to-end encrypted meeting beside one with
// encryption off, in the same run (lib/join-e2ee.ts; issue 15's target: on ≤ ×1.2 of off).
// With `e2ee` as the third argument only that last part runs (browserRuns joins per meeting).
import { dispose } from '@livekit/rtc-node';
import { exitOnSignals, startStack, type ApiClient } from '@polyphony/stack';
import { measureBrowserJoin } from './lib/join-browser.ts';
import { measureE2eeJoin } from './lib/join-e2ee.ts';
import { measureJoin, phasesLine } from './lib/join-run.ts';
import { loadavg } from 'node:os';
import { ratioLine, report } from './lib/stats.ts';

const RUNS = Number(process.argv[2] ?? 20);
const BROWSER_RUNS = Number(process.argv[3] ?? 12);
const ONLY_E2EE = process.argv[4] === 'e2ee';
/** How many of the slowest joins of each kind the encrypted part prints, phase by phase. */
const SLOWEST_SHOWN = 3;
exitOnSignals();
const stack = await startStack({ web: true });

try {
  const admin = ONLY_E2EE ? undefined : await measureClear();
  await measureEncrypted(admin);
  process.stdout.write(`  load average at the end: ${load()}\n`);
} finally {
  await stack.stop();
  await dispose();
}

/** The rtc-node part, then the pages with encryption off; the administrator who set them up. */
async function measureClear(): Promise<ApiClient> {
  const { admin, baseline, product, phases } = await measureJoin(stack, { runs: RUNS, warmup: 2 });
  report('join', { label: 'bare LiveKit connect → first audio', samplesMs: baseline }, [
    {
      label: 'admit click → guest hears first audio',
      samplesMs: product,
      target: { p50: 800, p95: 1500 },
    },
  ]);
  process.stdout.write(phasesLine(phases));
  const browser = await measureBrowserJoin(stack, { runs: BROWSER_RUNS, warmup: 2, admin });
  report(
    'join-browser',
    { label: 'bare livekit-client connect → first audio', samplesMs: browser.baseline },
    [
      {
        label: 'admit → guest page receives first audio',
        samplesMs: browser.product,
        target: { p50: 800, p95: 1500 },
      },
      {
        label: "the same, LiveKit's code held until admitted",
        samplesMs: browser.held,
      },
    ],
  );
  process.stdout.write(
    ratioLine('preloaded', browser.product, browser.held, undefined, 'held until admitted') + '\n',
  );
  const { ticket, peer, audio } = browser.phases;
  process.stdout.write(
    `  where the page's time goes (p50, ms): admit → ticket ${p50(ticket)}, ` +
      `ticket → peer connection made ${p50(peer)}, peer connection → first audio ${p50(audio)}\n`,
  );
  process.stdout.write(`  load average: ${load()}\n`);
  return admin;
}

/** The facilitator's page heard by a guest's page, E2EE on beside off. */
async function measureEncrypted(admin: ApiClient | undefined): Promise<void> {
  const e2ee = await measureE2eeJoin(stack, { runs: BROWSER_RUNS, warmup: 2, admin });
  report(
    'join-e2ee',
    { label: 'E2EE off: admit → guest page hears the tone', samplesMs: e2ee.off },
    [
      {
        label: 'E2EE on: admit → guest page hears the tone',
        samplesMs: e2ee.on,
        target: { p50: 800, p95: 1500 },
      },
    ],
  );
  process.stdout.write(ratioLine('E2EE on', e2ee.on, e2ee.off, 1.2, 'E2EE off') + '\n');
  for (const key of ['off', 'on'] as const) {
    const { ticket, peer, deviceKey, facilitatorKey, track, bytes } = e2ee.phases[key];
    const posted =
      key === 'on'
        ? `, device key posted ${p50(deviceKey)}, facilitator's key set ${p50(facilitatorKey)}`
        : '';
    process.stdout.write(
      `  E2EE ${key}, from the admit (p50, ms): ticket ${p50(ticket)}, peer connection made ` +
        `${p50(peer)}${posted}, facilitator's audio track offered ${p50(track)}, first audio bytes ` +
        `${p50(bytes)}, tone heard ${p50(e2ee[key])}\n`,
    );
  }
  // The p95 is the tail: where the slowest joins lost their time, each phase from the admit.
  for (const key of ['off', 'on'] as const) {
    const { ticket, peer, deviceKey, facilitatorKey, track, bytes } = e2ee.phases[key];
    const slowest = e2ee[key]
      .map((heard, i) => ({ heard, i }))
      .sort((a, b) => b.heard - a.heard)
      .slice(0, SLOWEST_SHOWN);
    for (const { heard, i } of slowest) {
      const keys =
        key === 'on' ? `, device key ${deviceKey[i]}, facilitator's key ${facilitatorKey[i]}` : '';
      process.stdout.write(
        `  E2EE ${key}, a slowest join (ms): ticket ${ticket[i]}, peer connection ${peer[i]}` +
          `${keys}, track offered ${track[i]}, first bytes ${bytes[i]}, heard ${heard}\n`,
      );
    }
  }
}

function p50(xs: readonly number[]): number {
  return [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? NaN;
}

function load(): string {
  return loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
}
