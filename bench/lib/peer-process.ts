// The media process of the reflect benches (lib/peers.ts in a child process) and a typed
// request/answer over its IPC channel, with the clock and timeout helpers both sides use.
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '@polyphony/stack';
import type { PeerReply, PeerRequest, WatchResult } from './peers.ts';

export const wall = (): number => performance.timeOrigin + performance.now();
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Fails loudly instead of hanging when something never happens. */
export function within<T>(label: string, ms: number, p: Promise<T>): Promise<T> {
  return Promise.race([
    p,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`${label}: nothing after ${ms} ms`)), ms).unref(),
    ),
  ]);
}

/** The media process and a typed request/answer over its IPC channel. */
export interface Peers {
  request(req: { type: 'watch-stop' }): Promise<WatchResult>;
  request(req: DistributiveOmit<PeerRequest, 'id'>): Promise<unknown>;
  readonly child: ChildProcess;
}
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export function startPeers(): Peers {
  const child = fork(join(ROOT, 'bench/lib/peers.ts'), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  let next = 1;
  const waiting = new Map<number, (r: PeerReply) => void>();
  child.on('message', (r: PeerReply) => {
    waiting.get(r.id)?.(r);
    waiting.delete(r.id);
  });
  // rtc-node's native side can crash under this load; fail what is waiting, do not hang.
  child.on('exit', (code, signal) => {
    for (const [id, answer] of waiting) {
      answer({ id, ok: false, error: `media process exited (${signal ?? code})` });
    }
    waiting.clear();
  });
  const request = (req: DistributiveOmit<PeerRequest, 'id'>): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const id = next++;
      waiting.set(id, (r) => (r.ok ? resolve(r.result) : reject(new Error(r.error))));
      child.send({ ...req, id });
    });
  return { child, request: request as Peers['request'] };
}
