// pnpm bench join: a facilitator's admit → the guest's first remote audio, through the real
// flow (personal link, lobby, admission, live channel, token, LiveKit), beside a bare LiveKit
// connect-and-hear in a room of its own, both measured in this run on this machine
// (lib/join-run.ts; `pnpm bench impaired` runs the same under a bad network).
import { dispose } from '@livekit/rtc-node';
import { exitOnSignals, startStack } from '@polyphony/stack';
import { measureJoin, phasesLine } from './lib/join-run.ts';
import { report } from './lib/stats.ts';

const RUNS = Number(process.argv[2] ?? 20);
exitOnSignals();
const stack = await startStack();

try {
  const { baseline, product, phases } = await measureJoin(stack, { runs: RUNS, warmup: 2 });
  report('join', { label: 'bare LiveKit connect → first audio', samplesMs: baseline }, [
    {
      label: 'admit click → guest hears first audio',
      samplesMs: product,
      target: { p50: 800, p95: 1500 },
    },
  ]);
  process.stdout.write(phasesLine(phases));
} finally {
  await stack.stop();
  await dispose();
}
