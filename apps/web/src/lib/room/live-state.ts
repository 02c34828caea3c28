import { PRESENCE, assertNever, type Mode } from '@polyphony/domain';
import type {
  AdmissionView,
  LiveEvent,
  LiveSnapshot,
  LobbyEntry,
  MediaAccess,
  RosterEntry,
  ServerMessage,
} from '@polyphony/protocol';
import { decodeRoomEvent, type RoomEvent } from './live-messages.ts';

/** The waiting room as those holding a key to the door see it. */
export interface LobbyView {
  readonly hasCentrePerson: boolean;
  readonly waiting: readonly LobbyEntry[];
}

/** A companion change, announced to everyone in the room. */
export interface CompanionsNotice {
  readonly seq: number;
  readonly participantId: string;
  readonly added: readonly string[];
  readonly removed: readonly string[];
}

/** What the room knows from the live channel. */
export interface LiveState {
  readonly seq: number;
  readonly meetingId: string;
  readonly mode: Mode;
  readonly ended: boolean;
  /** Whether the meeting's media is end-to-end encrypted (its setting; every page follows it). */
  readonly encrypted: boolean;
  readonly me: RosterEntry;
  /** Everyone else on the roster (never includes `me`). */
  readonly others: readonly RosterEntry[];
  readonly media: MediaAccess | null;
  /** One's own place at the door; `null` until the server has said (treated as in the room). */
  readonly admission: AdmissionView | null;
  /** The waiting room, for facilitators and the centre person; `null` for everyone else. */
  readonly lobby: LobbyView | null;
  /** Who asked to respond during the current reflection, first asked first. */
  readonly wishes: readonly string[];
  /** Who asked to respond during the last reflection, from the return to dialogue. */
  readonly respondOrder: readonly string[];
  readonly notice: CompanionsNotice | null;
  /** The last time a second device tried someone's media identity (for the alert). */
  readonly displaced: { readonly seq: number; readonly participantId: string } | null;
  /** Sequence numbers of the last roster, lobby and admission views taken (stale ones are dropped). */
  readonly views: { readonly roster: number; readonly lobby: number; readonly admission: number };
}

export type ApplyOutcome =
  | { readonly kind: 'applied'; readonly state: LiveState }
  /** Already seen (a resume may repeat events) or out of date: nothing changes. */
  | { readonly kind: 'duplicate' }
  /** A message that changes nothing here (the E2EE relay's nudge, read by the key manager). */
  | { readonly kind: 'unchanged' }
  /** Events are missing, or a message came before any snapshot: resume from `seq`. */
  | { readonly kind: 'gap' };

/** Whether this person is in the room (admitted), as opposed to waiting or away. */
export function isInRoom(state: LiveState): boolean {
  return state.admission === null || PRESENCE[state.admission.state] === 'media';
}

function fromSnapshot(previous: LiveState | null, snapshot: LiveSnapshot): LiveState {
  const sameMode = previous?.mode === snapshot.meeting.mode;
  return {
    seq: snapshot.seq,
    meetingId: snapshot.meeting.id,
    mode: snapshot.meeting.mode,
    ended: snapshot.meeting.state === 'ended',
    encrypted: snapshot.meeting.encrypted,
    me: snapshot.me,
    others: snapshot.participants.filter((p) => p.participantId !== snapshot.me.participantId),
    media: snapshot.media,
    // Views follow the snapshot; until they do, the last ones stand (no flash of the lobby).
    admission: previous?.admission ?? null,
    lobby: previous?.lobby ?? null,
    wishes: sameMode ? previous.wishes : [],
    respondOrder: previous?.respondOrder ?? [],
    notice: previous?.notice ?? null,
    displaced: previous?.displaced ?? null,
    views: { roster: -1, lobby: -1, admission: -1 },
  };
}

function withRoster(state: LiveState, roster: readonly RosterEntry[]): LiveState {
  const mine = roster.find((p) => p.participantId === state.me.participantId);
  return {
    ...state,
    me: mine ?? state.me,
    others: roster.filter((p) => p.participantId !== state.me.participantId),
  };
}

function applyEvent(state: LiveState, event: RoomEvent, seq: number): LiveState {
  switch (event.type) {
    case 'mode.changed':
      if (event.mode === state.mode) return state;
      return event.mode === 'reflecting'
        ? { ...state, mode: event.mode, wishes: [], respondOrder: [] }
        : {
            ...state,
            mode: event.mode,
            wishes: [],
            respondOrder: event.respondOrder ?? state.wishes,
          };
    case 'hand.raised':
      if (state.wishes.includes(event.participantId)) return state;
      return { ...state, wishes: [...state.wishes, event.participantId] };
    case 'companions.changed': {
      const notice: CompanionsNotice = {
        seq,
        participantId: event.participantId,
        added: event.added,
        removed: event.removed,
      };
      return { ...state, notice };
    }
    case 'meeting.ended':
      return { ...state, ended: true, media: null };
    case 'settings.changed':
      if (event.settings.endToEndEncrypted === state.encrypted) return state;
      return { ...state, encrypted: event.settings.endToEndEncrypted };
    case 'media.displaced':
      return { ...state, displaced: { seq, participantId: event.participantId } };
    case 'participant.left':
    case 'participant.removed':
    case 'participant.declined':
      // A knock from another device went: the person is still in the room on their first one.
      if ('otherDevice' in event && event.otherDevice) return state;
      return {
        ...state,
        others: state.others.filter((p) => p.participantId !== event.participantId),
        wishes: state.wishes.filter((id) => id !== event.participantId),
      };
    default:
      return assertNever(event);
  }
}

function onEvent(state: LiveState, message: LiveEvent): ApplyOutcome {
  if (message.seq <= state.seq) return { kind: 'duplicate' };
  // Outside the room one sees only one's own events, so gaps are expected there.
  if (message.seq > state.seq + 1 && isInRoom(state)) return { kind: 'gap' };
  const next: LiveState = { ...state, seq: message.seq };
  const event = decodeRoomEvent(message.event);
  return { kind: 'applied', state: event === null ? next : applyEvent(next, event, message.seq) };
}

/** Pure reducer of the live channel: the next state after one validated server message. */
export function applyServerMessage(state: LiveState | null, message: ServerMessage): ApplyOutcome {
  if (message.type === 'snapshot') {
    return { kind: 'applied', state: fromSnapshot(state, message) };
  }
  if (state === null) return { kind: 'gap' };
  switch (message.type) {
    case 'event':
      return onEvent(state, message);
    case 'roster':
      if (message.seq < state.views.roster) return { kind: 'duplicate' };
      return {
        kind: 'applied',
        state: {
          ...withRoster(state, message.participants),
          views: { ...state.views, roster: message.seq },
        },
      };
    case 'lobby':
      if (message.seq < state.views.lobby) return { kind: 'duplicate' };
      return {
        kind: 'applied',
        state: {
          ...state,
          lobby: { hasCentrePerson: message.hasCentrePerson, waiting: message.waiting },
          views: { ...state.views, lobby: message.seq },
        },
      };
    case 'admission': {
      if (message.seq < state.views.admission) return { kind: 'duplicate' };
      const admission = message.admission;
      const inRoom = PRESENCE[admission.state] === 'media';
      return {
        kind: 'applied',
        state: {
          ...state,
          admission,
          // Out of the room means no media, whatever access was held before.
          media: inRoom ? state.media : null,
          lobby: inRoom ? state.lobby : null,
          views: { ...state.views, admission: message.seq },
        },
      };
    }
    case 'keys':
      return { kind: 'unchanged' };
    default:
      return assertNever(message);
  }
}
