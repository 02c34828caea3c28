import type { E2eeStateResponse, WrappedKey } from '@polyphony/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { E2eeKeys, type E2eeKeysOptions, type E2eeRelay, type E2eeView } from './e2ee-keys.ts';

// The key manager against a relay in memory that keeps the signal service's rules (the latest
// copy per sender and recipient, the same generation replacing it, copies only for members,
// a copy answering a resend request). The real relay is held by e2ee.int.test.ts and the
// browser tests; here the manager's own timing and ordering are under test, with WebCrypto.

const MEETING = 'meeting-1';
const id = (name: string) => `${name}.1`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface RingWrite {
  readonly identity: string;
  readonly keyIndex: number;
  readonly key: string;
}

class MemoryRelay {
  readonly members = new Set<string>();
  readonly keys = new Map<string, { curve: 'X25519' | 'P-256'; publicKey: string }>();
  readonly mailbox = new Map<string, WrappedKey>();
  readonly resend = new Set<string>();
  /** Copies their recipients have read: `recipient|sender|generation`. */
  readonly taken = new Set<string>();
  /** Recipients whose reads do not say they took anything (an old relay, a lost answer). */
  readonly silent = new Set<string>();
  readonly sent: { from: string; generation: number; to: string[] }[] = [];
  /** Refuses this many sends of new keys first (a rate limit, a failed request). */
  refuseSends = 0;
  /** When set, only this identity's sends are refused. */
  refuseFrom: string | null = null;
  /** Drops copies addressed to these identities (a copy that never arrives). */
  readonly lost = new Set<string>();

  for(me: string): E2eeRelay {
    return {
      postDeviceKey: async ({ curve, publicKey }) => {
        this.keys.set(me, { curve, publicKey });
        return true;
      },
      read: async (): Promise<E2eeStateResponse | null> => {
        if (!this.members.has(me)) return null;
        const holders = [...this.members].filter((m) => this.keys.has(m));
        const mailbox = [...this.mailbox.entries()]
          .filter(([k, v]) => k.startsWith(`${me}|`) && this.members.has(v.sender))
          .map(([, v]) => v);
        if (!this.silent.has(me))
          for (const m of mailbox) this.taken.add(`${me}|${m.sender}|${m.generation}`);
        return {
          me,
          keys: holders.map((identity) => ({ identity, ...this.keys.get(identity)! })),
          mailbox,
          taken: [...this.mailbox.entries()]
            .filter(
              ([k, v]) =>
                v.sender === me && this.taken.has(`${k.split('|')[0]}|${me}|${v.generation}`),
            )
            .map(([k, v]) => ({ to: k.split('|')[0]!, generation: v.generation })),
          resend: [...this.resend]
            .filter((k) => k.startsWith(`${me}|`))
            .map((k) => k.split('|')[1]!)
            .filter((r) => this.members.has(r)),
        };
      },
      sendWrapped: async ({ generation, keyIndex, copies }) => {
        if (!this.members.has(me)) return false;
        if (this.refuseSends > 0 && (this.refuseFrom === null || this.refuseFrom === me)) {
          this.refuseSends--;
          return false;
        }
        this.sent.push({ from: me, generation, to: copies.map((c) => c.to) });
        for (const c of copies) {
          if (!this.members.has(c.to) || this.lost.has(c.to)) continue;
          const kept = this.mailbox.get(`${c.to}|${me}`);
          if (kept && kept.generation > generation) continue;
          this.mailbox.set(`${c.to}|${me}`, { sender: me, generation, keyIndex, ...c });
          this.resend.delete(`${me}|${c.to}`);
        }
        return true;
      },
      requestResend: async ({ from }) => {
        if (!this.members.has(me) || !this.members.has(from)) return false;
        this.resend.add(`${from}|${me}`);
        return true;
      },
    };
  }
}

const hex = (key: Uint8Array) => Buffer.from(key).toString('hex');

/** A page: its manager, every key ring write in the order LiveKit got them, its last view. */
function page(relay: MemoryRelay, name: string, options: Partial<E2eeKeysOptions> = {}) {
  const identity = id(name);
  relay.members.add(identity);
  const writes: RingWrite[] = [];
  let view: E2eeView | null = null;
  const keys = new E2eeKeys({
    meetingId: MEETING,
    identity,
    admission: 1,
    relay: relay.for(identity),
    ring: {
      // Like livekit-client's key import: each write takes its own, uneven time.
      setKey: async (who, keyIndex, key) => {
        await sleep(Math.random() * 15);
        writes.push({ identity: who, keyIndex, key: hex(key) });
      },
    },
    onChange: (v) => (view = v),
    pollMs: 25,
    switchDelayMs: 30,
    rotateEveryMs: 0,
    watchdogMs: 60_000,
    ...options,
  });
  return {
    identity,
    keys,
    writes,
    view: () => view,
    /** The key this page encrypts with now (its own latest write). */
    sendingKey: () => writes.filter((w) => w.identity === identity).at(-1) ?? null,
    /** The key it holds for `sender` at `keyIndex`, as last written. */
    holds: (sender: string, keyIndex: number) =>
      writes.filter((w) => w.identity === sender && w.keyIndex === keyIndex).at(-1)?.key ?? null,
  };
}

type Page = ReturnType<typeof page>;

/** Every page decrypts every other: it holds each sender's key in use, at its index. */
function allDecrypt(pages: readonly Page[]): boolean {
  return pages.every((listener) =>
    pages.every((sender) => {
      if (sender === listener) return true;
      const sending = sender.sendingKey();
      return sending !== null && listener.holds(sender.identity, sending.keyIndex) === sending.key;
    }),
  );
}

const started: Page[] = [];
async function start(...pages: Page[]) {
  started.push(...pages);
  await Promise.all(pages.map((p) => p.keys.start()));
}
afterEach(() => {
  for (const p of started.splice(0)) p.keys.stop();
});

const WAIT = { timeout: 30_000, interval: 20 };

/** Three pages in one relay, `a` with these options, each holding the others' keys. */
async function threePages(aOptions: Partial<E2eeKeysOptions> = {}) {
  const relay = new MemoryRelay();
  const [a, b, c] = [page(relay, 'a', aOptions), page(relay, 'b'), page(relay, 'c')];
  await start(a, b, c);
  await vi.waitFor(() => expect(allDecrypt([a, b, c])).toBe(true), WAIT);
  return { relay, a, b, c };
}

describe('E2eeKeys', { timeout: 60_000 }, () => {
  it('pages hold each other’s keys; a leave gives a key the departed never gets', async () => {
    const { relay, a, b, c } = await threePages();
    const before = a.sendingKey()!.key;
    relay.members.delete(c.identity);
    a.keys.poke();
    b.keys.poke();
    await vi.waitFor(() => {
      expect(a.view()?.sending?.to).toEqual([b.identity]);
      expect(b.view()?.sending?.to).toEqual([a.identity]);
      expect(allDecrypt([a, b])).toBe(true);
    }, WAIT);
    expect(a.sendingKey()!.key).not.toBe(before);
    // The departed page never held the key a sends with now.
    expect(c.writes.some((w) => w.key === a.sendingKey()!.key)).toBe(false);
  });

  it('after a leave the fresh key is used as soon as every remaining member has read it, not after the whole delay', async () => {
    // A delay far beyond the wait below: only the members' reads can bring the switch.
    const { relay, a, b, c } = await threePages({ switchDelayMs: 600_000 });
    relay.members.delete(c.identity);
    a.keys.poke();
    await vi.waitFor(() => {
      expect(a.view()?.sending?.to).toEqual([b.identity]);
      expect(allDecrypt([a, b])).toBe(true);
    }, WAIT);
    expect(c.writes.some((w) => w.key === a.sendingKey()!.key)).toBe(false);
  });

  it('the control: while a member has not read the fresh key, the sender waits for the delay', async () => {
    const { relay, a, b, c } = await threePages({ switchDelayMs: 3000 });
    const before = a.view()!.sending!.generation;
    relay.silent.add(b.identity);
    relay.members.delete(c.identity);
    a.keys.poke();
    await vi.waitFor(
      () =>
        expect(relay.sent.some((s) => s.from === a.identity && s.generation > before)).toBe(true),
      WAIT,
    );
    // b holds the new key by now (its reads go on) but the relay does not say so: no switch.
    await sleep(1000);
    expect(a.view()?.sending?.generation).toBe(before);
    await vi.waitFor(() => expect(a.view()?.sending?.to).toEqual([b.identity]), WAIT);
  });

  it('the ratchet on admission: the newcomer alone gets the next key, derived; the others hold it already; a leave makes a fresh one', async () => {
    const relay = new MemoryRelay();
    // A long switch delay: a fresh key would be used only after it, a ratchet at once.
    const [a, b] = [page(relay, 'a', { switchDelayMs: 60_000 }), page(relay, 'b')];
    await start(a, b);
    await vi.waitFor(() => expect(allDecrypt([a, b])).toBe(true), WAIT);
    const old = a.sendingKey()!;
    const sentBefore = relay.sent.length;
    const c = page(relay, 'c');
    await start(c);
    a.keys.poke();
    b.keys.poke();
    await vi.waitFor(() => {
      expect(a.view()?.sending?.to).toEqual([b.identity, c.identity]);
      expect(allDecrypt([a, b, c])).toBe(true);
    }, WAIT);
    // a's next key went to c alone; b holds it without a copy (derived from the one before).
    const fromA = relay.sent.slice(sentBefore).filter((s) => s.from === a.identity);
    expect(fromA).toEqual([{ from: a.identity, generation: old.keyIndex + 1, to: [c.identity] }]);
    expect(a.sendingKey()!.key).not.toBe(old.key);
    // The newcomer never held the key a used before the admission.
    expect(c.writes.some((w) => w.key === old.key)).toBe(false);

    // c leaves: a fresh key to b alone (used after the long switch delay), which b takes and
    // c never holds nor derives.
    const ratcheted = a.view()!.sending!.generation;
    relay.members.delete(c.identity);
    a.keys.poke();
    b.keys.poke();
    const fresh = ratcheted + 1;
    await vi.waitFor(() => {
      expect(relay.sent.filter((s) => s.from === a.identity).at(-1)).toEqual({
        from: a.identity,
        generation: fresh,
        to: [b.identity],
      });
      expect(b.view()?.keyed).toEqual([a.identity]);
    }, WAIT);
    // At that index b first wrote a key derived ahead from a's key before the ratchet (c derived
    // the same one from the ratcheted key), then the fresh key when it took it.
    const atFresh = () => b.writes.filter((w) => w.identity === a.identity && w.keyIndex === fresh);
    await vi.waitFor(() => expect(atFresh().length).toBeGreaterThanOrEqual(2), WAIT);
    const freshKey = atFresh();
    const taken = freshKey.at(-1)!.key;
    expect(c.writes.some((w) => w.key === freshKey[0]!.key)).toBe(true);
    expect(c.writes.some((w) => w.key === taken)).toBe(false);
    expect(freshKey.slice(0, -1).some((w) => w.key === taken)).toBe(false);
  });

  it('the control: without the ratchet a join sends a fresh key to everyone', async () => {
    const relay = new MemoryRelay();
    const [a, b] = [
      page(relay, 'a', { ratchetSteps: 0, switchDelayMs: 10 }),
      page(relay, 'b', { ratchetSteps: 0 }),
    ];
    await start(a, b);
    await vi.waitFor(() => expect(allDecrypt([a, b])).toBe(true), WAIT);
    const sentBefore = relay.sent.length;
    const c = page(relay, 'c', { ratchetSteps: 0 });
    await start(c);
    a.keys.poke();
    await vi.waitFor(() => expect(allDecrypt([a, b, c])).toBe(true), WAIT);
    const fromA = relay.sent.slice(sentBefore).filter((s) => s.from === a.identity);
    expect(fromA.at(-1)!.to.sort()).toEqual([b.identity, c.identity]);
  });

  /**
   * Four joins and four leaves, each seen by `a` (its code shows it) before the next, and one
   * who joins and stays. Returns how many keys `a` made for them.
   */
  async function churn(rotateEveryMs: number): Promise<number> {
    const relay = new MemoryRelay();
    const a = page(relay, 'a', { rotateEveryMs });
    const b = page(relay, 'b');
    await start(a, b);
    await vi.waitFor(() => expect(allDecrypt([a, b])).toBe(true), WAIT);
    await sleep(rotateEveryMs + 100);
    const rotationsBefore = relay.sent.filter((s) => s.from === a.identity).length;
    const seen = (member: string, present: boolean) =>
      vi.waitFor(() => expect(a.view()?.code?.members.includes(member)).toBe(present), WAIT);
    relay.members.add(id('v'));
    relay.keys.set(id('v'), relay.keys.get(b.identity)!);
    for (const extra of ['x', 'y', 'z', 'w'].map((n) => id(n))) {
      relay.members.add(extra);
      relay.keys.set(extra, relay.keys.get(b.identity)!);
      a.keys.poke();
      await seen(extra, true);
      relay.members.delete(extra);
      a.keys.poke();
      await seen(extra, false);
    }
    await vi.waitFor(() => {
      expect(a.view()?.sending?.to).toEqual([b.identity, id('v')]);
      expect(allDecrypt([a, b])).toBe(true);
    }, WAIT);
    return relay.sent.filter((s) => s.from === a.identity).length - rotationsBefore;
  }

  it('churn: one rotation at the first change and one per interval after, covering the final members', async () => {
    // Eight changes within well under the interval (a slow box may need a third rotation).
    const rotations = await churn(5000);
    expect(rotations).toBeGreaterThanOrEqual(1);
    expect(rotations).toBeLessThanOrEqual(3);
  });

  it('the control: without the interval the same churn rotates at each change', async () => {
    expect(await churn(0)).toBeGreaterThan(3);
  });

  it('a key the relay refused is made again and delivered, never used undelivered', async () => {
    const relay = new MemoryRelay();
    const [a, b] = [page(relay, 'a'), page(relay, 'b')];
    await start(a);
    await vi.waitFor(() => expect(a.view()?.ready).toBe(true), WAIT);
    relay.refuseSends = 2;
    await start(b);
    await vi.waitFor(() => expect(allDecrypt([a, b])).toBe(true), WAIT);
    // Every key a ever sent with after b came was one b was given.
    const given = new Set(b.writes.filter((w) => w.identity === a.identity).map((w) => w.key));
    const used = a.writes.filter((w) => w.identity === a.identity).slice(1);
    expect(used.length).toBeGreaterThan(0);
    for (const w of used) expect(given.has(w.key)).toBe(true);
  });

  it('a ratchet after a refused send steps over the unused generation: the members before still hold the key in use', async () => {
    const relay = new MemoryRelay();
    // A long switch delay: only a ratchet is used at once, so the check below sees it.
    const [a, b] = [page(relay, 'a', { switchDelayMs: 60_000 }), page(relay, 'b')];
    await start(a, b);
    await vi.waitFor(() => expect(allDecrypt([a, b])).toBe(true), WAIT);
    const old = a.view()!.sending!.generation;
    const sentBefore = relay.sent.length;
    // a's first key for the newcomer is refused (its generation is spent), the next one taken.
    relay.refuseSends = 1;
    relay.refuseFrom = a.identity;
    const c = page(relay, 'c');
    await start(c);
    a.keys.poke();
    b.keys.poke();
    await vi.waitFor(() => {
      expect(a.view()?.sending?.to).toEqual([b.identity, c.identity]);
      expect(allDecrypt([a, b, c])).toBe(true);
    }, WAIT);
    const fromA = relay.sent.slice(sentBefore).filter((s) => s.from === a.identity);
    expect(fromA.every((s) => s.generation > old + 1 && s.to.join() === c.identity)).toBe(true);
  });

  it('never lets a late key replace a newer one: own and others’ keys are written in order', async () => {
    const relay = new MemoryRelay();
    // Fresh keys only: keys derived ahead (the ratchet) are written out of order by design.
    const a = page(relay, 'a', { switchDelayMs: 5, ratchetSteps: 0 });
    const b = page(relay, 'b', { pollMs: 5, ratchetSteps: 0 });
    await start(a, b);
    for (const n of ['p', 'q', 'r', 's', 't', 'u']) {
      relay.members.add(id(n));
      relay.keys.set(id(n), relay.keys.get(b.identity)!);
      a.keys.poke();
      await sleep(8);
    }
    for (const n of ['p', 'q', 'r', 's', 't', 'u']) relay.members.delete(id(n));
    a.keys.poke();
    await vi.waitFor(() => {
      expect(a.view()?.sending?.to).toEqual([b.identity]);
      expect(allDecrypt([a, b])).toBe(true);
    }, WAIT);
    const generations = relay.sent.filter((s) => s.from === a.identity).map((s) => s.generation);
    const newest = Math.max(...generations);
    // Fewer than 16 keys: a key's index is its generation.
    expect(newest).toBeLessThan(16);
    const increasing = (xs: number[]) => xs.every((x, i) => i === 0 || x > xs[i - 1]!);
    // a's own switches, and what b holds from a, each written in generation order.
    const own = a.writes.filter((w) => w.identity === a.identity).map((w) => w.keyIndex);
    const fromA = b.writes.filter((w) => w.identity === a.identity).map((w) => w.keyIndex);
    expect(increasing(own), JSON.stringify(own)).toBe(true);
    expect(increasing(fromA), JSON.stringify(fromA)).toBe(true);
    expect(own.at(-1)).toBe(newest);
    expect(a.view()!.sending!.generation).toBe(newest);
  });

  it('"resend keys": the sender wraps its key again; the asker sets it again', async () => {
    const relay = new MemoryRelay();
    const [a, b] = [page(relay, 'a'), page(relay, 'b')];
    await start(a, b);
    await vi.waitFor(() => expect(allDecrypt([a, b])).toBe(true), WAIT);
    const writesBefore = b.writes.filter((w) => w.identity === a.identity).length;
    const sendsBefore = relay.sent.filter((s) => s.from === a.identity).length;
    expect(await b.keys.requestResend(a.identity)).toBe(true);
    await vi.waitFor(() => {
      expect(b.writes.filter((w) => w.identity === a.identity).length).toBeGreaterThan(
        writesBefore,
      );
      expect(relay.resend.size).toBe(0);
    }, WAIT);
    const resent = relay.sent.filter((s) => s.from === a.identity).slice(sendsBefore);
    // The same key, wrapped again for b alone: no rotation.
    expect(resent).toEqual([
      { from: a.identity, generation: a.view()!.sending!.generation, to: [b.identity] },
    ]);
    expect(allDecrypt([a, b])).toBe(true);
    // Nobody outside the meeting is asked.
    expect(await b.keys.requestResend(id('stranger'))).toBe(false);
  });

  it('the watchdog lists a member whose key does not come, only after its time', async () => {
    const relay = new MemoryRelay();
    relay.lost.add(id('b'));
    let clock = 0;
    const a = page(relay, 'a');
    const b = page(relay, 'b', { watchdogMs: 5000, now: () => clock });
    await start(a, b);
    await vi.waitFor(() => expect(b.view()?.code?.members).toHaveLength(2), WAIT);
    clock = 4999;
    await sleep(100);
    expect(b.view()!.waiting).toEqual([]);
    clock = 5000;
    await vi.waitFor(() => expect(b.view()!.waiting).toEqual([a.identity]), WAIT);
    expect(b.view()!.keyed).toEqual([]);
    // The copy gets through once asked again: no longer waiting.
    relay.lost.clear();
    await b.keys.requestResend(a.identity);
    await vi.waitFor(() => {
      expect(b.view()!.keyed).toEqual([a.identity]);
      expect(b.view()!.waiting).toEqual([]);
    }, WAIT);
  });

  it('self-heal: a sender whose media keeps failing to decrypt is asked again after the watchdog, not before, and not in a loop', async () => {
    const relay = new MemoryRelay();
    let clock = 0;
    const a = page(relay, 'a');
    const b = page(relay, 'b', { watchdogMs: 5000, now: () => clock });
    await start(a, b);
    await vi.waitFor(() => expect(allDecrypt([a, b])).toBe(true), WAIT);
    const sends = () => relay.sent.filter((s) => s.from === a.identity).length;
    const before = sends();
    // The media connection says a's frames do not decrypt (a key lost in a reconnect).
    b.keys.reportUndecryptable([a.identity]);
    clock = 4999;
    await sleep(200);
    expect(sends()).toBe(before);
    clock = 5000;
    await vi.waitFor(() => expect(sends()).toBe(before + 1), WAIT);
    // The same key again, set again at b.
    expect(relay.sent.at(-1)).toEqual({
      from: a.identity,
      generation: a.view()!.sending!.generation,
      to: [b.identity],
    });
    await vi.waitFor(() => expect(allDecrypt([a, b])).toBe(true), WAIT);
    // Still failing: asked once more only after another watchdog's time.
    await sleep(200);
    expect(sends()).toBe(before + 1);
    clock = 10_000;
    await vi.waitFor(() => expect(sends()).toBe(before + 2), WAIT);
    // Decrypting again: no more asking.
    b.keys.reportUndecryptable([]);
    clock = 20_000;
    await sleep(200);
    expect(sends()).toBe(before + 2);
  });
});
