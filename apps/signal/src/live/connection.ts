import type { WebSocket, RawData } from 'ws';
import type { FastifyBaseLogger } from 'fastify';
import type { Gauge } from 'prom-client';
import { Compile } from 'typebox/compile';
import { eventsSince, type Db } from '@polyphony/db';
import {
  CLOSE_CODES,
  ClientMessage,
  type LiveEvent,
  type ServerMessage,
} from '@polyphony/protocol';
import type { Livekit } from '../plugins/livekit.ts';
import type { LiveHub } from './hub.ts';
import { readSnapshot } from './snapshot.ts';
import { toLiveEvent } from './to-live-event.ts';

const clientMessage = Compile(ClientMessage);

export interface LiveLimits {
  /** Largest accepted client message, in bytes. */
  readonly maxMessageBytes: number;
  /** At most this many client messages per window. */
  readonly messagesPerWindow: number;
  readonly windowMs: number;
  /** Ping interval; a peer that has not answered the previous ping is dropped. */
  readonly heartbeatMs: number;
}

export const DEFAULT_LIVE_LIMITS: LiveLimits = {
  maxMessageBytes: 4096,
  messagesPerWindow: 20,
  windowMs: 10_000,
  heartbeatMs: 25_000,
};

export interface LiveDeps {
  readonly db: Db;
  readonly hub: LiveHub;
  readonly livekit: Livekit;
  readonly log: FastifyBaseLogger;
  readonly sockets: Gauge;
  readonly limits: LiveLimits;
}

export interface LiveTarget {
  readonly meetingId: string;
  readonly participantId: string;
  /** Resume point: events with a greater seq are replayed after the snapshot. */
  readonly since: number | undefined;
}

const PAGE = 500;

/**
 * Serves one authenticated live connection: snapshot, replay from `since`, then live events in
 * sequence order with no gaps (a gap is filled from the database).
 */
export function serveLiveConnection(socket: WebSocket, deps: LiveDeps, target: LiveTarget): void {
  const { db, hub, log, limits } = deps;
  let lastSent = -1;
  let ready = false;
  let closed = false;
  const buffered: LiveEvent[] = [];
  let catchUp: Promise<void> = Promise.resolve();

  const send = (message: ServerMessage) => {
    if (!closed) socket.send(JSON.stringify(message));
  };
  const close = (code: number, reason: string) => {
    if (!closed) socket.close(code, reason);
  };
  const fail = (err: unknown) => {
    log.error({ err }, 'live connection failed');
    close(1011, 'internal error');
  };

  const fillGap = async (upTo: number) => {
    while (!closed && lastSent < upTo) {
      const page = await eventsSince(db, target.meetingId, lastSent, PAGE);
      if (page.length === 0) return;
      for (const e of page) deliver(toLiveEvent(e), false);
    }
  };
  function deliver(event: LiveEvent, mayFetch = true) {
    if (event.seq <= lastSent) return;
    if (event.seq === lastSent + 1 || !mayFetch) {
      send(event);
      lastSent = event.seq;
      return;
    }
    catchUp = catchUp.then(() => fillGap(event.seq)).catch(fail);
  }

  const unsubscribe = hub.subscribe(target.meetingId, (event) => {
    if (ready) deliver(event);
    else buffered.push(event);
  });

  deps.sockets.inc();
  let alive = true;
  const heartbeat = setInterval(() => {
    if (!alive) {
      socket.terminate();
      return;
    }
    alive = false;
    socket.ping();
  }, limits.heartbeatMs);
  socket.on('pong', () => {
    alive = true;
  });

  let windowStart = Date.now();
  let windowCount = 0;
  socket.on('message', (data: RawData, isBinary: boolean) => {
    const size = Array.isArray(data)
      ? data.reduce((n, b) => n + b.length, 0)
      : (data as Buffer | ArrayBuffer).byteLength;
    if (size > limits.maxMessageBytes) return close(CLOSE_CODES.TOO_LARGE, 'message too large');
    const now = Date.now();
    if (now - windowStart >= limits.windowMs) {
      windowStart = now;
      windowCount = 0;
    }
    if (++windowCount > limits.messagesPerWindow) {
      return close(CLOSE_CODES.RATE_LIMITED, 'too many messages');
    }
    if (isBinary) return close(CLOSE_CODES.BAD_MESSAGE, 'bad message');
    let parsed: unknown;
    try {
      parsed = JSON.parse(data.toString());
    } catch {
      return close(CLOSE_CODES.BAD_MESSAGE, 'bad message');
    }
    if (!clientMessage.Check(parsed)) return close(CLOSE_CODES.BAD_MESSAGE, 'bad message');
    // `ping` needs no answer: receiving it keeps intermediaries from idling the connection out.
  });

  socket.on('close', (code: number) => {
    log.info(
      { meetingId: target.meetingId, participantId: target.participantId, code },
      'live closed',
    );
    closed = true;
    clearInterval(heartbeat);
    unsubscribe();
    deps.sockets.dec();
  });

  void start().catch(fail);

  async function start() {
    const read = await readSnapshot(db, target.meetingId, target.participantId);
    if (!read) return close(CLOSE_CODES.NOT_FOUND, 'not found');
    const media = read.grants
      ? await deps.livekit.mintToken({
          meetingId: target.meetingId,
          participantId: target.participantId,
          admissionNumber: read.admissionNumber,
          grants: read.grants,
        })
      : null;
    send({ ...read.snapshot, media });
    const since = target.since;
    lastSent = since !== undefined && since < read.snapshot.seq ? since : read.snapshot.seq;
    await fillGap(read.snapshot.seq);
    ready = true;
    for (const event of buffered.splice(0)) deliver(event);
  }
}
