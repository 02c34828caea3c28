import type { ClientMessage, ServerMessage } from '@polyphony/protocol';
import { reconnectDelay } from './backoff.ts';
import { closeAction } from './close-codes.ts';
import { encodeClientMessage, parseServerMessage } from './live-messages.ts';

export type LiveStatus = 'connecting' | 'connected' | 'reconnecting' | 'closed';
export type ClosedReason = 'not_in_meeting' | 'moved' | 'left' | 'error';

/** The part of a WebSocket the channel uses (the browser's, or a test's). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

/** What the channel hears from its socket. */
export interface SocketListeners {
  message(data: unknown): void;
  close(code: number): void;
}

/** The clock the channel schedules with (the window's, or a test's). */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export interface LiveChannelDeps {
  /** Opens a socket to the live endpoint, resuming after `since` when given. */
  readonly open: (since: number | null, listeners: SocketListeners) => SocketLike;
  readonly timers: Timers;
  readonly random?: () => number;
}

export interface LiveChannelHandlers {
  /**
   * A validated message from the server. Return `'resync'` when it cannot be applied (a gap):
   * the channel reopens at once for a fresh snapshot.
   */
  readonly message: (message: ServerMessage) => 'ok' | 'resync';
  /** The channel's status changed (`closed` with its reason). */
  readonly status: (status: LiveStatus, reason: ClosedReason | null) => void;
  /** The last sequence number applied, for resuming (`?since=`). */
  readonly since: () => number | null;
  /** Whether anything was received before (a first connection says "connecting"). */
  readonly hasState: () => boolean;
}

const OPEN = 1;
export const PING_INTERVAL_MS = 25_000;
/** How long a committed command's event may take to arrive before the channel resumes. */
export const ECHO_TIMEOUT_MS = 5_000;
const SLOW_RETRY_ATTEMPT = 4;
const NORMAL_CLOSURE = 1000;
export const CLOSE_RESUME = 4000;
/**
 * After a node's "go elsewhere" the channel reconnects within this (jittered, so the pages of a
 * whole node do not arrive at the next one in the same instant).
 */
export const PROMPT_RECONNECT_MS = 1000;
export const CLOSE_BAD_MESSAGE = 4400;

/**
 * The live channel, free of any framework: opens the socket, validates every frame, keeps it
 * alive with pings, resumes after a gap with a fresh snapshot, and reconnects with backoff
 * according to the close code, or stops for good (not in the meeting, moved, a protocol error,
 * left). The socket and the clock are injected, so each path is tested as a table.
 */
export class LiveChannel {
  readonly #deps: LiveChannelDeps;
  readonly #on: LiveChannelHandlers;
  #socket: SocketLike | null = null;
  #attempt = 0;
  #retryTimer: unknown = undefined;
  #pingTimer: unknown = undefined;
  #stopped = true;
  /** Set while reconnecting on purpose (for a fresh snapshot): no backoff, no status change. */
  #resyncing = false;

  constructor(deps: LiveChannelDeps, handlers: LiveChannelHandlers) {
    this.#deps = deps;
    this.#on = handlers;
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  /** Opens the channel (again, after a stop). */
  start(): void {
    this.#stopped = false;
    this.#attempt = 0;
    this.#open();
  }

  /** Sends when the channel is open; false when it is not (the caller may send again later). */
  send(message: ClientMessage): boolean {
    const socket = this.#socket;
    if (socket?.readyState !== OPEN) return false;
    socket.send(encodeClientMessage(message));
    return true;
  }

  /** Closes and reopens at once for a fresh snapshot, resuming from the last sequence. */
  resync(): void {
    const socket = this.#socket;
    if (this.#stopped || socket === null) return;
    this.#resyncing = true;
    socket.close(CLOSE_RESUME, 'resume');
  }

  /**
   * A command of this page committed up to `seq`; its events come on this channel. If they have
   * not arrived after {@link ECHO_TIMEOUT_MS} (a channel that went quiet without closing), the
   * channel resumes from its last sequence, so the page never shows a state the server left.
   */
  expectSeq(seq: number): void {
    if (this.#stopped) return;
    this.#deps.timers.setTimeout(() => {
      const since = this.#on.since();
      if (since === null || since < seq) this.resync();
    }, ECHO_TIMEOUT_MS);
  }

  /** The network is back: a reconnect waiting for its backoff goes now. */
  retryNow(): void {
    if (this.#stopped || this.#retryTimer === undefined) return;
    this.#deps.timers.clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    this.#open();
  }

  /** Ends the channel for good (leaving, or the page going away). */
  stop(): void {
    this.#stopped = true;
    this.#resyncing = false;
    this.#deps.timers.clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    this.#stopPing();
    const socket = this.#socket;
    this.#socket = null;
    socket?.close(NORMAL_CLOSURE, 'leaving');
  }

  #open(): void {
    if (this.#stopped) return;
    if (!this.#resyncing) {
      this.#on.status(
        !this.#on.hasState() && this.#attempt === 0 ? 'connecting' : 'reconnecting',
        null,
      );
    }
    this.#resyncing = false;
    const socket: SocketLike = this.#deps.open(this.#on.since(), {
      message: (data) => this.#onMessage(socket, data),
      close: (code) => this.#onClose(socket, code),
    });
    this.#socket = socket;
  }

  #onMessage(socket: SocketLike, data: unknown): void {
    if (socket !== this.#socket) return;
    const message = parseServerMessage(data);
    if (message === null) {
      // Never act on unvalidated input; resume from the last good sequence instead.
      socket.close(CLOSE_BAD_MESSAGE, 'bad message');
      return;
    }
    if (this.#on.message(message) === 'resync') {
      this.resync();
      return;
    }
    if (message.type === 'snapshot') {
      this.#attempt = 0;
      this.#startPing(socket);
      this.#on.status('connected', null);
    }
  }

  #onClose(socket: SocketLike, code: number): void {
    if (socket !== this.#socket) return;
    this.#socket = null;
    this.#stopPing();
    if (this.#stopped) return;
    if (this.#resyncing) {
      this.#open();
      return;
    }
    const action = closeAction(code);
    if (action === 'not_in_meeting' || action === 'moved' || action === 'fatal') {
      this.stop();
      this.#on.status('closed', action === 'fatal' ? 'error' : action);
      return;
    }
    if (action === 'retry_slowly') this.#attempt = Math.max(this.#attempt, SLOW_RETRY_ATTEMPT);
    if (action === 'reconnect_now') this.#attempt = 0;
    this.#on.status('reconnecting', null);
    const delay =
      action === 'reconnect_now'
        ? Math.round((this.#deps.random ?? Math.random)() * PROMPT_RECONNECT_MS)
        : reconnectDelay(this.#attempt, this.#deps.random);
    this.#attempt += 1;
    this.#retryTimer = this.#deps.timers.setTimeout(() => {
      this.#retryTimer = undefined;
      this.#open();
    }, delay);
  }

  #startPing(socket: SocketLike): void {
    this.#stopPing();
    this.#pingTimer = this.#deps.timers.setInterval(() => {
      if (socket.readyState === OPEN) socket.send(encodeClientMessage({ type: 'ping' }));
    }, PING_INTERVAL_MS);
  }

  #stopPing(): void {
    this.#deps.timers.clearInterval(this.#pingTimer);
    this.#pingTimer = undefined;
  }
}
