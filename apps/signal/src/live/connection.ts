import type { WebSocket, RawData } from 'ws';
import type { FastifyBaseLogger } from 'fastify';
import type { Gauge } from 'prom-client';
import { Compile } from 'typebox/compile';
import { databaseUnavailableCode, eventsSince, type Db } from '@polyphony/db';
import {
  deviceStanding,
  findParticipant,
  grantsFor,
  hasCentrePerson,
  isEventVisibleFromDevice,
  maySeeLobby,
  maySeeRoster,
  PRESENCE,
  reduce,
  seenFromDevice,
  type MeetingEvent,
  type MeetingState,
} from '@polyphony/domain';
import { CLOSE_CODES, ClientMessage, type ServerMessage } from '@polyphony/protocol';
import type { MeetingStates } from '../commands/meeting-states.ts';
import type { Livekit } from '../plugins/livekit.ts';
import type { LiveHub } from './hub.ts';
import { committed, liveFrame, type CommittedEvent } from './to-live-event.ts';
import type { ParticipantRows } from '@polyphony/db';
import { admissionView, lobby, noRows, roster, rosterEntry, type DisplayNames } from './views.ts';

const clientMessage = Compile(ClientMessage);

export interface LiveLimits {
  /** Largest accepted client message, in bytes. */
  readonly maxMessageBytes: number;
  /** At most this many client messages per window. */
  readonly messagesPerWindow: number;
  readonly windowMs: number;
  /** Ping interval; a peer that has not answered the previous ping is dropped. */
  readonly heartbeatMs: number;
  /**
   * Longest one step of the connection's work (applying events, a snapshot) may take. A step
   * still waiting after this (a database call that never settles) closes the channel with
   * "try again later": the page resumes from its last sequence instead of going quiet.
   */
  readonly stallMs: number;
}

export const DEFAULT_LIVE_LIMITS: LiveLimits = {
  maxMessageBytes: 4096,
  messagesPerWindow: 20,
  windowMs: 10_000,
  heartbeatMs: 25_000,
  stallMs: 20_000,
};

/** What a live connection may ask of the media side, always about its own participant. */
export interface LiveMediaActions {
  /** Grants the policy's rights to this LiveKit connection if it holds the current identity. */
  seat(meetingId: string, participantId: string, sid: string): Promise<unknown>;
  /** Records that another connection took this person's identity (facilitators are told). */
  displaced(meetingId: string, participantId: string): Promise<unknown>;
}

/** Where each device's live channel was last seen, shared by every node (`live_channels`). */
export interface LiveChannelLog {
  touch(participantId: string, device: string): Promise<void>;
  close(participantId: string, device: string): Promise<void>;
}

export interface LiveDeps {
  readonly db: Db;
  readonly channels: LiveChannelLog;
  readonly media: LiveMediaActions;
  readonly hub: LiveHub;
  readonly states: MeetingStates;
  readonly livekit: Livekit;
  readonly log: FastifyBaseLogger;
  readonly sockets: Gauge;
  readonly limits: LiveLimits;
  /** Shared by every connection of the node. */
  readonly names: DisplayNames;
}

export interface LiveTarget {
  readonly meetingId: string;
  readonly participantId: string;
  /** Resume point: events with a greater seq are replayed after the snapshot. */
  readonly since: number | undefined;
  /** The guest session (device) connected; undefined for staff. */
  readonly device?: string | undefined;
  /** That guest session's CSRF token, handed to the page in each snapshot; undefined for staff. */
  readonly csrfToken?: string | undefined;
}

const PAGE = 500;

/**
 * Which views each event refreshes: the roster (who is in the room, with companions and their
 * connection) for people in the room, and the waiting room for those who hold a key to the door.
 * Keyed by every event type, so a new event cannot be added without deciding.
 */
const REFRESHES: { readonly [T in MeetingEvent['type']]: { roster: boolean; lobby: boolean } } = {
  'participant.invited': { roster: false, lobby: true },
  'participant.joined_lobby': { roster: false, lobby: true },
  'device.knocked': { roster: false, lobby: true },
  'admission.approved': { roster: false, lobby: true },
  'consent.given': { roster: true, lobby: true },
  'consent.withdrawn': { roster: true, lobby: true },
  'participant.admitted': { roster: true, lobby: true },
  'participant.declined': { roster: false, lobby: true },
  'participant.removed': { roster: true, lobby: true },
  'companions.changed': { roster: true, lobby: true },
  'mode.changed': { roster: false, lobby: false },
  'hand.raised': { roster: false, lobby: false },
  'record.added': { roster: false, lobby: false },
  'meeting.started': { roster: false, lobby: false },
  'meeting.ended': { roster: true, lobby: true },
  'participant.left': { roster: true, lobby: true },
  'settings.changed': { roster: false, lobby: false },
  'link.revoked': { roster: false, lobby: true },
  'media.displaced': { roster: false, lobby: false },
  'media.connected': { roster: true, lobby: false },
  'media.lost': { roster: true, lobby: false },
  'plan.changed': { roster: true, lobby: false },
};

const inRoom = (state: MeetingState, id: string) => {
  const me = findParticipant(state, id);
  return me !== undefined && PRESENCE[me.state] === 'media';
};

/**
 * Serves one authenticated live connection: snapshot and views, replay from `since`, then live
 * events in sequence order (gaps are filled from the database). What is sent follows the
 * domain's audience rules: outside the room one sees only one's own events; the roster goes
 * to people in the room; the waiting room to those who hold a key to the door. Entering the
 * room brings a fresh snapshot with media access (a token minted then).
 */
export function serveLiveConnection(socket: WebSocket, deps: LiveDeps, target: LiveTarget): void {
  const { db, hub, log, limits } = deps;
  const me = target.participantId;
  let lastSeen = -1;
  let state: MeetingState | null = null;
  let ready = false;
  let closed = false;
  const buffered: CommittedEvent[] = [];
  let queue: Promise<void> = Promise.resolve();

  const send = (message: ServerMessage) => {
    if (!closed) socket.send(JSON.stringify(message));
  };
  /** A log event's frame, serialised once for every connection that sends it. */
  const sendEvent = (event: CommittedEvent) => {
    if (!closed) socket.send(liveFrame(event));
  };
  const close = (code: number, reason: string) => {
    if (!closed) socket.close(code, reason);
  };
  const fail = (err: unknown) => {
    // The database briefly gone: the page reconnects later; its media is not touched.
    const unavailable = databaseUnavailableCode(err);
    if (unavailable !== null) {
      log.warn({ code: unavailable }, 'live connection: database unavailable');
      return close(CLOSE_CODES.TRY_AGAIN_LATER, 'try again later');
    }
    log.error({ err }, 'live connection failed');
    close(1011, 'internal error');
  };
  /** The meeting as this device sees it; null once its place moved to another device. */
  const seen = (s: MeetingState) => seenFromDevice(s, me, target.device);
  const moved = () => close(CLOSE_CODES.MOVED, 'moved to another device');
  const bounded = async (work: () => Promise<void>) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stalled = new Promise<'stalled'>((resolve) => {
      timer = setTimeout(() => resolve('stalled'), limits.stallMs);
    });
    try {
      if ((await Promise.race([work(), stalled])) === 'stalled') {
        log.warn('live connection: work stalled');
        close(CLOSE_CODES.TRY_AGAIN_LATER, 'try again later');
      }
    } finally {
      clearTimeout(timer);
    }
  };
  const enqueue = (work: () => Promise<void>) => {
    queue = queue.then(() => (closed ? undefined : bounded(work))).catch(fail);
  };

  async function snapshot(whole: MeetingState, seq: number) {
    const current = seen(whole);
    if (!current) return moved();
    const names = await deps.names(target.meetingId, seq);
    const self = findParticipant(current, me);
    if (!self) return close(CLOSE_CODES.NOT_FOUND, 'not found');
    // A ticket to the room only: rights follow once this connection claims its seat.
    const media =
      grantsFor(current, me) !== null
        ? await deps.livekit.mintToken({
            meetingId: target.meetingId,
            participantId: me,
            admissionNumber: self.admissionNumber,
          })
        : null;
    send({
      type: 'snapshot',
      seq,
      meeting: {
        id: target.meetingId,
        mode: current.mode,
        state: current.status,
        encrypted: current.settings.endToEndEncrypted,
      },
      me: rosterEntry(self, names, self),
      participants: maySeeRoster(self) ? roster(current, names, self) : [],
      media,
      ...(target.csrfToken ? { csrfToken: target.csrfToken } : {}),
    });
    await views(current, seq, { admission: true, roster: true, lobby: true }, names);
  }

  async function views(
    whole: MeetingState,
    seq: number,
    which: { admission: boolean; roster: boolean; lobby: boolean },
    known?: ParticipantRows,
  ) {
    const current = seen(whole);
    const self = current && findParticipant(current, me);
    if (!current || !self) return;
    const showRoster = which.roster && maySeeRoster(self);
    const showLobby = which.lobby && maySeeLobby(self);
    const names =
      known ?? (showRoster || showLobby ? await deps.names(target.meetingId, seq) : noRows());
    const admission = which.admission ? admissionView(current, me) : null;
    if (admission) send({ type: 'admission', seq, admission });
    if (showRoster) send({ type: 'roster', seq, participants: roster(current, names, self) });
    if (showLobby) {
      send({
        type: 'lobby',
        seq,
        hasCentrePerson: hasCentrePerson(current),
        waiting: lobby(current, names),
      });
    }
  }

  /** Applies events in order; sends what this person may see and the views that changed. */
  async function apply(events: readonly CommittedEvent[]) {
    for (const live of events) {
      if (live.seq <= lastSeen || !state) continue;
      if (live.seq !== lastSeen + 1) {
        await fill(live.seq);
        if (live.seq <= lastSeen) continue;
      }
      const { event } = live;
      const before = seen(state);
      const wasIn = before !== null && inRoom(before, me);
      state = reduce(state, event);
      lastSeen = live.seq;
      const after = seen(state);
      if (!after) return moved();
      const visible = isEventVisibleFromDevice(state, me, target.device, event);
      if (visible) sendEvent(live);
      const isIn = inRoom(after, me);
      const mine = 'participantId' in event && event.participantId === me;
      if (!wasIn && isIn) {
        await snapshot(state, live.seq);
        continue;
      }
      await views(state, live.seq, {
        admission: mine || event.type === 'meeting.ended' || event.type === 'meeting.started',
        // A plan change refreshes the roster only of those who may see plans: nobody else
        // learns even that one changed.
        roster: REFRESHES[event.type].roster && (event.type !== 'plan.changed' || visible),
        lobby: REFRESHES[event.type].lobby,
      });
    }
  }

  async function fill(upTo: number) {
    while (!closed && lastSeen < upTo - 1) {
      const page = await eventsSince(
        db,
        target.meetingId,
        lastSeen,
        Math.min(PAGE, upTo - 1 - lastSeen),
      );
      if (page.length === 0) return;
      await apply(page.map(committed));
    }
  }

  const unsubscribe = hub.subscribe(target.meetingId, (event) => {
    if (!ready) buffered.push(event);
    else enqueue(() => apply([event]));
  });
  // The E2EE relay changed for us: people in the room read it now (the nudge carries nothing).
  const unsubscribeKeys = hub.subscribeKeys(target.meetingId, (audience) => {
    if (audience !== null && !audience.includes(me)) return;
    if (ready && state !== null && inRoom(state, me)) send({ type: 'keys' });
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
  // Sightings of this device's channel: a waiting page gone past the bound leaves the lobby.
  const sighting = (work: Promise<void>) =>
    work.catch((err: unknown) => log.error({ err }, 'live channel sighting failed'));
  const deviceKey = target.device ?? '';
  socket.on('pong', () => {
    alive = true;
    void sighting(deps.channels.touch(me, deviceKey));
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
    // Media requests run beside the event queue so that LiveKit's answers never hold up events.
    const failed = (err: unknown) => log.error({ err }, 'live media request failed');
    // Only the device holding the person's place speaks for their media seat.
    const self = state ? findParticipant(state, me) : undefined;
    if (parsed.type !== 'ping' && (!self || deviceStanding(self, target.device) !== 'holder')) {
      return;
    }
    if (parsed.type === 'seat') {
      deps.media.seat(target.meetingId, me, parsed.sid).catch(failed);
    } else if (parsed.type === 'displaced') {
      deps.media.displaced(target.meetingId, me).catch(failed);
    }
  });

  socket.on('close', (code: number) => {
    log.info({ meetingId: target.meetingId, participantId: me, code }, 'live closed');
    closed = true;
    clearInterval(heartbeat);
    void sighting(deps.channels.close(me, deviceKey));
    unsubscribe();
    unsubscribeKeys();
    deps.sockets.dec();
  });

  enqueue(start);

  async function start() {
    const latest = await deps.states.latest(db, target.meetingId);
    if (!latest || !findParticipant(latest.state, me)) {
      return close(CLOSE_CODES.NOT_FOUND, 'not found');
    }
    await sighting(deps.channels.touch(me, deviceKey));
    const seq = latest.meeting.lastSeq;
    const since = target.since !== undefined && target.since < seq ? target.since : seq;
    if (since === seq) {
      state = latest.state;
      lastSeen = seq;
      await snapshot(latest.state, seq);
    } else {
      // Replay: the snapshot is the state as of now; the missed events follow for the timeline.
      await snapshot(latest.state, seq);
      state = await deps.states.at(db, latest.meeting, since);
      lastSeen = since;
      await replayMissed(seq);
    }
    ready = true;
    const waiting = buffered.splice(0);
    if (waiting.length > 0) await apply(waiting);
  }

  /** After a resume: the missed events this person may see, without re-sending views. */
  async function replayMissed(upTo: number) {
    while (!closed && lastSeen < upTo && state) {
      const page = await eventsSince(
        db,
        target.meetingId,
        lastSeen,
        Math.min(PAGE, upTo - lastSeen),
      );
      if (page.length === 0) return;
      for (const row of page) {
        const live = committed(row);
        state = reduce(state, live.event);
        lastSeen = live.seq;
        if (isEventVisibleFromDevice(state, me, target.device, live.event)) sendEvent(live);
      }
    }
  }
}
