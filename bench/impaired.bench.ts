// pnpm bench impaired [joins] [switches]: the join and reflect measurements of `pnpm bench
// join` and `pnpm bench reflect` on a bad network (100 ms round trip, 2 % loss each way),
// made by the impairment relay (ADR 0029): every client's media, its LiveKit signalling and
// its live channel cross the relay; the facilitator's clicks (HTTP) and the server's calls
// to LiveKit do not. Bare LiveKit runs under the same impairment in the same run, and each
// figure is printed beside it with the ratio.
import { dispose } from '@livekit/rtc-node';
import { BAD_NETWORK, exitOnSignals, startStack, type LinkCounters } from '@polyphony/stack';
import { PACKET_MS } from './lib/cut.ts';
import { measureJoin, phasesLine } from './lib/join-run.ts';
import { measureReflect } from './lib/reflect-run.ts';
import { ratioLine, report } from './lib/stats.ts';

const JOINS = Number(process.argv[2] ?? 8);
const SWITCHES = Number(process.argv[3] ?? 6);
/** Network members in the reflect call (plus the centre person and the facilitator). */
const NETWORK = 4;

exitOnSignals();
const stack = await startStack({ output: 'ignore', impaired: BAD_NETWORK });
const impairment = stack.impairment!;
const through = {
  livekitUrl: impairment.relay.clientUrl,
  signalUrl: impairment.signal.url('http'),
};
const lost = (k: LinkCounters) =>
  `${k.packets + k.dropped} packets, ${((100 * k.dropped) / Math.max(1, k.packets + k.dropped)).toFixed(1)} % lost`;
const network = `${2 * BAD_NETWORK.delayMs} ms round trip, ${100 * BAD_NETWORK.loss} % loss each way`;

try {
  console.error(`[impaired] ${network}; ${JOINS} joins, ${SWITCHES} switches`);
  const join = await measureJoin(stack, { runs: JOINS, warmup: 1, ...through });
  report(
    'impaired-join',
    { label: 'bare LiveKit connect → first audio', samplesMs: join.baseline },
    [{ label: 'admit click → guest hears first audio', samplesMs: join.product }],
  );
  process.stdout.write(phasesLine(join.phases));
  console.log(ratioLine('join', join.product, join.baseline));

  const r = await measureReflect(stack, {
    switches: SWITCHES,
    bareSwitches: SWITCHES,
    // Six in the call, not ten: every datagram crosses the relay in this process, and thirty
    // audio streams instead of ninety keep it and the media process within this machine.
    network: NETWORK,
    admin: join.admin,
    ...through,
  });
  report('impaired-reflect', { label: 'raw updateParticipant round trip', samplesMs: r.raw }, [
    {
      label: `bare LiveKit: ${r.participants - 1} updates → sound stops at all ${r.participants}`,
      samplesMs: r.bareMs,
    },
    { label: `click → blocked sound stops at all ${r.participants}`, samplesMs: r.cutMs },
    { label: `click → all ${r.participants} clients show the mode`, samplesMs: r.modeMs },
    { label: 'click → POST /mode answered', samplesMs: r.answerMs },
  ]);
  console.log(ratioLine('cut', r.cutMs, r.bareMs));
  console.log(
    `  sound stops: the first silence frame's arrival, placed to within about one ${PACKET_MS} ms packet (ADR 0010)`,
  );
  if (r.crashed > 0) console.log(`  ${r.crashed} switches not measured: the media process crashed`);
  if (r.wrongSwitches > 0) {
    console.log(
      `  ${r.wrongSwitches} switches had a listener where a blocked microphone kept flowing or the team's stopped`,
    );
    process.exitCode = 1;
  }
  const { udp, tcp } = impairment.relay;
  console.log(
    `  the network (${network}): media up ${lost(udp.up)}, down ${lost(udp.down)}; ` +
      `LiveKit signalling ${tcp.up.packets + tcp.down.packets} chunks, live channels ${impairment.signal.up.packets + impairment.signal.down.packets} chunks`,
  );
} finally {
  await stack.stop();
  await dispose();
}
