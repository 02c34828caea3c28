// The switch machinery of the reflect benches: time how soon blocked microphones stop
// reaching every listener around an action, over many switches, with fresh media clients
// every few switches (see reflect.bench.ts for what is measured and why).
import type { LiveClient } from '@polyphony/stack';
import { listenerCut, packetSizes } from './cut.ts';
import { sleep, startPeers, wall, within, type Peers } from './peer-process.ts';
import type { PeerSpec } from './peers.ts';

/** Readings before the click (to learn each stream's sound) and after it. */
const BEFORE_MS = 500;
const AFTER_MS = 2000;
/** Reading every ~100 ms is enough: the analysis places the cut inside an interval. */
const EVERY_MS = 100;
const RECONNECT_EVERY = 5;

export function waitForMode(live: LiveClient, mode: string, from: number): Promise<number> {
  return new Promise((resolve) => {
    const check = (): boolean => {
      for (let i = from; i < live.messages.length; i++) {
        const m = live.messages[i] as { type: string; event?: { type: string; mode?: string } };
        if (m.type === 'event' && m.event?.type === 'mode.changed' && m.event.mode === mode) {
          resolve(wall());
          return true;
        }
      }
      return false;
    };
    if (check()) return;
    const onMessage = (): void => {
      if (check()) live.ws.off('message', onMessage);
    };
    live.ws.on('message', onMessage);
  });
}

export interface Listener {
  readonly identity: string;
  /** Team streams that must keep flowing at this listener. */
  readonly teamStreams: number;
  /** Blocked microphones this listener hears before the switch. */
  readonly blockedStreams: number;
}

export interface CutResult {
  /** ms from the click to the last blocked sound at the slowest listener. */
  readonly ms: number;
  /** ms from the click to the last packet of a blocked microphone, silence flush included. */
  readonly bytesMs: number;
  /** Listeners where a blocked microphone still flowed or the team's stopped. */
  readonly wrong: number;
}

/**
 * Watches every listener around `act` (called at the click; returns when the action is done)
 * and reads when blocked microphones stopped reaching each.
 */
async function timeCut(
  peers: Peers,
  listeners: readonly Listener[],
  act: () => Promise<void>,
): Promise<CutResult> {
  await within('watch', 10_000, peers.request({ type: 'watch-start', everyMs: EVERY_MS }));
  await sleep(BEFORE_MS);
  const click = wall();
  await act();
  await sleep(Math.max(0, click + AFTER_MS - wall()));
  const readings = await within('watch', 10_000, peers.request({ type: 'watch-stop' }));
  const until = wall();
  if (process.env.BENCH_DUMP) {
    const { appendFileSync } = await import('node:fs');
    appendFileSync(process.env.BENCH_DUMP, JSON.stringify({ click, readings }) + '\n');
  }
  const sizes = packetSizes(readings, click);
  let ms = Number.NEGATIVE_INFINITY;
  let bytesMs = Number.NEGATIVE_INFINITY;
  let wrong = 0;
  for (const l of listeners) {
    const cut = listenerCut(readings[l.identity] ?? {}, click, sizes, until);
    ms = Math.max(ms, cut.lastSoundMs);
    bytesMs = Math.max(bytesMs, cut.lastPacketMs);
    // A blocked stream that never reached this listener in the window (a subscription still
    // settling after the last switch) is not wrong; one still flowing, or the team's gone, is.
    if (cut.flowing !== l.teamStreams || cut.stopped > l.blockedStreams || cut.unmeasured > 0) {
      wrong++;
      console.error(
        `[reflect]   listener ${l.identity.slice(0, 8)}: flowing ${cut.flowing}/${l.teamStreams}, stopped ${cut.stopped}/${l.blockedStreams}, unmeasured ${cut.unmeasured}`,
      );
    }
  }
  return { ms, bytesMs, wrong };
}

/** What one bench run started and what went wrong in it. */
export class SwitchRun {
  /** Every media process started (killed at the end). */
  readonly peers: Peers[] = [];
  /** Switches not measured because the media process crashed. */
  crashed = 0;
  /** Switches where a blocked microphone kept flowing or the team's stopped somewhere. */
  wrongSwitches = 0;

  killAll(): void {
    for (const p of this.peers) p.child.kill();
  }
}

/** A media process holding these participants, connected and settled. */
export async function connectPeers(
  run: SwitchRun,
  specs: readonly PeerSpec[],
  seat?: Seat,
): Promise<Peers> {
  const peers = startPeers();
  run.peers.push(peers);
  await within(
    'connect',
    60_000,
    peers.request({ type: 'connect', peers: specs, publish: seat === undefined }),
  );
  if (seat) {
    await within('seat', 30_000, seat());
    const speakers = specs.filter((s) => s.speaks).map((s) => s.identity);
    await within('publish', 30_000, peers.request({ type: 'speak-again', identities: speakers }));
  }
  await sleep(3000);
  return peers;
}

/** Claims every connected peer's seat (the product's tickets grant nothing by themselves). */
export type Seat = () => Promise<void>;

/**
 * Every republished microphone leaves state behind in the rtc-node rooms (their stats
 * readings lag more with every switch), so the media clients reconnect — same identities
 * and tokens — every RECONNECT_EVERY switches. The server side is unaffected.
 */
async function freshPeersEvery(
  run: SwitchRun,
  i: number,
  peers: Peers,
  specs: readonly PeerSpec[],
  seat?: Seat,
) {
  if (peers.child.exitCode === null && peers.child.signalCode === null) {
    if (i === 0 || i % RECONNECT_EVERY !== 0) return peers;
    // A wedged media process may never answer; it is killed with the rest at the end.
    await within('close', 10_000, peers.request({ type: 'close' })).catch(() => {});
  }
  return connectPeers(run, specs, seat);
}

export interface SwitchSteps {
  /** Blocks the speakers' microphones; called at the click. */
  readonly block: () => Promise<void>;
  /** Takes in one measured switch. */
  readonly measured: (i: number, cut: CutResult) => Promise<void>;
  /** Gives the microphones back. */
  readonly unblock: () => Promise<void>;
  /** Claims the seats of freshly connected peers (the product only). */
  readonly seat?: Seat;
}

/**
 * `n` timed blocks, each followed by the unblock and the speakers publishing again. A switch
 * whose media process crashed is reported and not counted; the media clients are replaced.
 * Returns the media process, still connected, for the caller to close.
 */
export async function runSwitches(
  run: SwitchRun,
  n: number,
  specs: readonly PeerSpec[],
  listeners: readonly Listener[],
  speakers: readonly string[],
  steps: SwitchSteps,
): Promise<Peers> {
  let peers = await connectPeers(run, specs, steps.seat);
  for (let i = 0; i < n; i++) {
    peers = await freshPeersEvery(run, i, peers, specs, steps.seat);
    try {
      try {
        const cut = await timeCut(peers, listeners, steps.block);
        if (cut.wrong > 0) run.wrongSwitches++;
        await steps.measured(i, cut);
      } catch (err) {
        // Said here: a failing unblock below would hide it.
        console.error(`[reflect] switch ${i + 1}: ${String(err)}`);
        throw err;
      } finally {
        await steps.unblock();
      }
      await sleep(300);
      await peers.request({ type: 'speak-again', identities: speakers });
      await sleep(1000);
    } catch (err) {
      run.crashed++;
      console.error(`[reflect] switch ${i + 1} not measured: ${String(err)}`);
    }
  }
  return peers;
}
