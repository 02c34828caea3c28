import { describe, expect, it } from 'vitest';
import { CLOSE_CODES, type ServerMessage } from '@polyphony/protocol';
import {
  CLOSE_BAD_MESSAGE,
  CLOSE_RESUME,
  ECHO_TIMEOUT_MS,
  LiveChannel,
  PING_INTERVAL_MS,
  PROMPT_RECONNECT_MS,
  type ClosedReason,
  type LiveStatus,
  type SocketListeners,
  type Timers,
} from './live-channel.ts';

/** A socket the test drives: what the channel sent, how it closed it, and the server's side. */
class FakeSocket {
  readyState = 1;
  readonly sent: string[] = [];
  closedWith: number | null = null;
  constructor(
    readonly since: number | null,
    readonly listeners: SocketListeners,
  ) {}
  send(data: string) {
    this.sent.push(data);
  }
  close(code?: number) {
    this.closedWith = code ?? 1000;
    this.readyState = 3;
  }
  /** The server sends a frame. */
  receive(frame: unknown) {
    this.listeners.message(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }
  /** The connection ends (after the channel's own close, or from the server's side). */
  end(code = this.closedWith ?? 1006) {
    this.readyState = 3;
    this.listeners.close(code);
  }
}

/** A clock the test moves by hand. */
class FakeTimers implements Timers {
  now = 0;
  #next = 1;
  readonly #jobs = new Map<number, { at: number; fn: () => void; every: number | null }>();
  setTimeout(fn: () => void, ms: number) {
    const id = this.#next++;
    this.#jobs.set(id, { at: this.now + ms, fn, every: null });
    return id;
  }
  setInterval(fn: () => void, ms: number) {
    const id = this.#next++;
    this.#jobs.set(id, { at: this.now + ms, fn, every: ms });
    return id;
  }
  clearTimeout(id: unknown) {
    this.#jobs.delete(id as number);
  }
  clearInterval(id: unknown) {
    this.#jobs.delete(id as number);
  }
  get pending() {
    return this.#jobs.size;
  }
  advance(ms: number) {
    const until = this.now + ms;
    for (;;) {
      const due = [...this.#jobs]
        .filter(([, j]) => j.at <= until)
        .sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      const [id, job] = due;
      this.now = job.at;
      if (job.every === null) this.#jobs.delete(id);
      else job.at += job.every;
      job.fn();
    }
    this.now = until;
  }
}

const SNAPSHOT = {
  type: 'snapshot',
  seq: 3,
  meeting: { id: 'm1', mode: 'dialogue', state: 'live', encrypted: true },
  me: {
    participantId: 'p1',
    displayName: 'Sam',
    role: 'centre',
    language: null,
    companions: [],
    mediaIdentity: null,
    connection: 'connecting',
    lostAt: null,
  },
  participants: [],
  media: null,
} satisfies ServerMessage;

function setup(onMessage: (m: ServerMessage) => 'ok' | 'resync' = () => 'ok') {
  const sockets: FakeSocket[] = [];
  const timers = new FakeTimers();
  const statuses: [LiveStatus, ClosedReason | null][] = [];
  const received: ServerMessage[] = [];
  let seq: number | null = null;
  const channel = new LiveChannel(
    {
      open: (since, listeners) => {
        const socket = new FakeSocket(since, listeners);
        sockets.push(socket);
        return socket;
      },
      timers,
      random: () => 0.5,
    },
    {
      message: (m) => {
        received.push(m);
        if (m.type === 'snapshot') seq = m.seq;
        return onMessage(m);
      },
      status: (s, r) => statuses.push([s, r]),
      since: () => seq,
      hasState: () => seq !== null,
    },
  );
  const last = () => sockets[sockets.length - 1]!;
  return { channel, sockets, timers, statuses, received, last };
}

describe('LiveChannel: opening', () => {
  it('connects, says connecting, then connected on the snapshot, and pings while open', () => {
    const t = setup();
    t.channel.start();
    expect(t.statuses).toEqual([['connecting', null]]);
    expect(t.last().since).toBeNull();
    t.last().receive(SNAPSHOT);
    expect(t.statuses.at(-1)).toEqual(['connected', null]);
    expect(t.received).toHaveLength(1);
    t.timers.advance(PING_INTERVAL_MS * 2);
    expect(t.last().sent).toEqual(['{"type":"ping"}', '{"type":"ping"}']);
  });

  it('sends only while open', () => {
    const t = setup();
    t.channel.start();
    expect(t.channel.send({ type: 'seat', sid: 'PA_abc' })).toBe(true);
    t.last().readyState = 0;
    expect(t.channel.send({ type: 'seat', sid: 'PA_abc' })).toBe(false);
    expect(t.last().sent).toEqual(['{"type":"seat","sid":"PA_abc"}']);
  });

  it('never acts on an invalid frame: closes as a bad message and resumes from the last good sequence', () => {
    const t = setup();
    t.channel.start();
    t.last().receive(SNAPSHOT);
    t.last().receive('{"type":"event","seq":4,"at":"x","event":{"type":"gossip"}}');
    expect(t.received).toHaveLength(1);
    expect(t.last().closedWith).toBe(CLOSE_BAD_MESSAGE);
    t.last().end();
    t.timers.advance(60_000);
    expect(t.sockets).toHaveLength(2);
    expect(t.last().since).toBe(3);
  });
});

describe('LiveChannel: after a close', () => {
  it.each([
    ['a dropped network', 1006, 'reconnecting', null, true],
    ['a server restart', 1012, 'reconnecting', null, true],
    ['throttled', CLOSE_CODES.RATE_LIMITED, 'reconnecting', null, true],
    ['not authenticated', CLOSE_CODES.UNAUTHENTICATED, 'closed', 'not_in_meeting', false],
    ['forbidden', CLOSE_CODES.FORBIDDEN, 'closed', 'not_in_meeting', false],
    ['no such meeting', CLOSE_CODES.NOT_FOUND, 'closed', 'not_in_meeting', false],
    ['moved to another device', CLOSE_CODES.MOVED, 'closed', 'moved', false],
    ['a message too large', CLOSE_CODES.TOO_LARGE, 'closed', 'error', false],
  ] as const)('%s (%i) → %s %s, reopens: %s', (_name, code, status, reason, reopens) => {
    const t = setup();
    t.channel.start();
    t.last().receive(SNAPSHOT);
    t.last().end(code);
    expect(t.statuses.at(-1)).toEqual([status, reason]);
    t.timers.advance(10 * 60_000);
    expect(t.sockets.length > 1).toBe(reopens);
    expect(t.channel.stopped).toBe(!reopens);
    if (reopens) expect(t.last().since).toBe(3);
  });

  it.each([
    // attempt → the delay with half jitter (random 0.5): 0.75 of the ceiling 500·2^attempt
    [0, 375],
    [1, 750],
    [2, 1500],
    [4, 6000],
    [5, 11_250],
    [9, 11_250], // capped at 15 s
  ])('backs off: retry %i waits %i ms', (failures, delay) => {
    const t = setup();
    t.channel.start();
    for (let i = 0; i < failures; i++) {
      t.last().end(1006);
      t.timers.advance(60_000);
    }
    const before = t.sockets.length;
    t.last().end(1006);
    t.timers.advance(delay - 1);
    expect(t.sockets.length).toBe(before);
    t.timers.advance(1);
    expect(t.sockets.length).toBe(before + 1);
  });

  it.each([
    ['the first close', 0],
    ['after failed retries', 5],
  ])(
    'a draining node ("go elsewhere") is left at once, %s, resuming from the last sequence',
    (_name, failures) => {
      const t = setup();
      t.channel.start();
      t.last().receive(SNAPSHOT);
      for (let i = 0; i < failures; i++) {
        t.last().end(1006);
        t.timers.advance(60_000);
      }
      const before = t.sockets.length;
      t.last().end(CLOSE_CODES.GO_ELSEWHERE);
      expect(t.statuses.at(-1)).toEqual(['reconnecting', null]);
      // random 0.5: half of the prompt window, however many retries came before.
      t.timers.advance(PROMPT_RECONNECT_MS / 2 - 1);
      expect(t.sockets).toHaveLength(before);
      t.timers.advance(1);
      expect(t.sockets).toHaveLength(before + 1);
      expect(t.last().since).toBe(3);
      // Should that node be gone too, the backoff starts again from its first step.
      t.last().end(1006);
      t.timers.advance(749);
      expect(t.sockets).toHaveLength(before + 1);
      t.timers.advance(1);
      expect(t.sockets).toHaveLength(before + 2);
    },
  );

  it('a throttled close starts from a longer delay', () => {
    const t = setup();
    t.channel.start();
    t.last().end(CLOSE_CODES.RATE_LIMITED);
    t.timers.advance(5_999);
    expect(t.sockets).toHaveLength(1);
    t.timers.advance(1);
    expect(t.sockets).toHaveLength(2);
  });

  it('the snapshot resets the backoff', () => {
    const t = setup();
    t.channel.start();
    for (let i = 0; i < 4; i++) {
      t.last().end(1006);
      t.timers.advance(60_000);
    }
    t.last().receive(SNAPSHOT);
    t.last().end(1006);
    t.timers.advance(375);
    expect(t.sockets).toHaveLength(6);
  });

  it('the network coming back retries at once', () => {
    const t = setup();
    t.channel.start();
    t.last().end(1006);
    expect(t.sockets).toHaveLength(1);
    t.channel.retryNow();
    expect(t.sockets).toHaveLength(2);
    t.timers.advance(60_000);
    expect(t.sockets).toHaveLength(2);
  });
});

describe('LiveChannel: resync and stop', () => {
  it('a gap reopens at once for a fresh snapshot, without backoff or a status change', () => {
    let gap = false;
    const t = setup((m) => (gap && m.type === 'event' ? 'resync' : 'ok'));
    t.channel.start();
    t.last().receive(SNAPSHOT);
    gap = true;
    t.last().receive({
      type: 'event',
      seq: 9,
      at: '2026-01-01T00:00:00Z',
      event: { type: 'hand.raised', participantId: 'p2' },
    });
    expect(t.last().closedWith).toBe(CLOSE_RESUME);
    const statuses = t.statuses.length;
    t.last().end();
    expect(t.sockets).toHaveLength(2);
    expect(t.last().since).toBe(3);
    expect(t.statuses).toHaveLength(statuses);
  });

  it.each([
    { name: 'arrived', arrives: true, resumes: false },
    { name: 'never came (a channel gone quiet)', arrives: false, resumes: true },
  ])('a committed command whose events $name: resumes = $resumes', ({ arrives, resumes }) => {
    const t = setup();
    t.channel.start();
    t.last().receive(SNAPSHOT);
    t.channel.expectSeq(4);
    if (arrives) t.last().receive({ ...SNAPSHOT, seq: 4 });
    t.timers.advance(ECHO_TIMEOUT_MS - 1);
    expect(t.last().closedWith).toBeNull();
    t.timers.advance(1);
    expect(t.last().closedWith).toBe(resumes ? CLOSE_RESUME : null);
    if (resumes) {
      t.last().end();
      expect(t.sockets).toHaveLength(2);
      expect(t.last().since).toBe(3);
    }
  });

  it('a stopped channel expects nothing', () => {
    const t = setup();
    t.channel.expectSeq(4);
    expect(t.timers.pending).toBe(0);
  });

  it('stop closes normally, cancels pings and retries, and never reopens', () => {
    const t = setup();
    t.channel.start();
    t.last().receive(SNAPSHOT);
    t.channel.stop();
    expect(t.last().closedWith).toBe(1000);
    t.last().end();
    expect(t.timers.pending).toBe(0);
    t.timers.advance(10 * 60_000);
    expect(t.sockets).toHaveLength(1);
    t.channel.retryNow();
    t.channel.resync();
    expect(t.sockets).toHaveLength(1);
  });

  it('ignores a socket it has replaced', () => {
    const t = setup();
    t.channel.start();
    const first = t.last();
    first.receive(SNAPSHOT);
    t.channel.resync();
    first.end();
    const second = t.last();
    first.receive(SNAPSHOT);
    first.end(CLOSE_CODES.FORBIDDEN);
    expect(t.received).toHaveLength(1);
    expect(t.channel.stopped).toBe(false);
    expect(second).not.toBe(first);
  });
});
