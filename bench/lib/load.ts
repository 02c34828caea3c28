// Open-loop load: requests are sent on a fixed schedule whatever the answers do, and each one
// is timed from when it was due, not from when it was sent, so a stalled server or a late
// generator shows in the figures instead of quietly lowering the rate (no coordinated omission).

export interface LoadResult {
  /** ms from each request's due time to its answer, in due order. */
  readonly latenciesMs: readonly number[];
  /** Requests that failed (network error or an unexpected status). */
  readonly failures: number;
  /** The rate actually achieved: requests sent / seconds from the first due time to the last answer. */
  readonly achievedPerSecond: number;
}

export interface LoadOptions {
  readonly perSecond: number;
  readonly seconds: number;
  /** Sends request `i`; resolves true for an expected answer. */
  readonly send: (i: number) => Promise<boolean>;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Due time of request `i` (ms after the start) at `perSecond`. */
export const dueAt = (i: number, perSecond: number): number => (i * 1000) / perSecond;

export async function openLoop(opts: LoadOptions): Promise<LoadResult> {
  const now = opts.now ?? (() => performance.now());
  const sleep = opts.sleep ?? realSleep;
  const total = Math.round(opts.perSecond * opts.seconds);
  const latencies = new Array<number>(total);
  let failures = 0;
  const inFlight: Promise<void>[] = [];
  const start = now();
  for (let i = 0; i < total; i++) {
    const due = start + dueAt(i, opts.perSecond);
    const wait = due - now();
    if (wait > 1) await sleep(wait);
    // timers are coarse: a request sent up to a millisecond early is timed from its sending
    const from = Math.min(due, now());
    inFlight.push(
      opts.send(i).then(
        (ok) => {
          latencies[i] = now() - from;
          if (!ok) failures++;
        },
        () => {
          latencies[i] = now() - from;
          failures++;
        },
      ),
    );
  }
  await Promise.all(inFlight);
  const seconds = (now() - start) / 1000;
  return { latenciesMs: latencies, failures, achievedPerSecond: total / seconds };
}

/**
 * Per event: ms from its stamp to its arrival at the last of `sockets` sockets. Events some
 * socket never received are counted in `missing`, not timed.
 */
export function fanoutDelays(
  stamps: ReadonlyMap<number, number>,
  arrivals: ReadonlyMap<number, readonly number[]>,
  sockets: number,
): { delaysMs: number[]; missing: number } {
  const delaysMs: number[] = [];
  let missing = 0;
  for (const [seq, stamp] of stamps) {
    const at = arrivals.get(seq) ?? [];
    if (at.length < sockets) missing++;
    else delaysMs.push(Math.max(...at) - stamp);
  }
  return { delaysMs, missing };
}
