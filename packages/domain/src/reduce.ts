import { assertNever } from './assert-never.ts';
import { completeSettings } from './modes.ts';
import { PRESENCE } from './participant-state.ts';
import type { MeetingEvent } from './meeting-events.ts';
import {
  initialMeetingState,
  type Companion,
  type MeetingState,
  type OtherDeviceKnock,
  type Participant,
  type RecordEntry,
} from './meeting-state.ts';

function updateParticipant(
  state: MeetingState,
  id: string,
  change: (p: Participant) => Participant,
): MeetingState {
  if (!state.participants.some((p) => p.id === id)) return state;
  return { ...state, participants: state.participants.map((p) => (p.id === id ? change(p) : p)) };
}

function withoutWish(state: MeetingState, participantId: string): MeetingState {
  return { ...state, wishes: state.wishes.filter((w) => w.participantId !== participantId) };
}

/** Changes the knock from another device, if there is one. */
function updateOtherDevice(
  state: MeetingState,
  id: string,
  change: (k: OtherDeviceKnock) => OtherDeviceKnock,
): MeetingState {
  return updateParticipant(state, id, (p) =>
    p.otherDevice === null ? p : { ...p, otherDevice: change(p.otherDevice) },
  );
}

/**
 * The seat's device left the room while another device was knocking: that knock is simply the
 * person's place in the lobby now, with the keys it already has.
 */
function seatLeft(p: Participant): Participant {
  const knock = p.otherDevice;
  if (knock?.state !== 'waiting') return { ...p, state: 'left', facilitatorKey: null };
  return {
    ...p,
    state: 'waiting',
    device: knock.device,
    companions: knock.companions,
    facilitatorKey: knock.facilitatorKey,
    consent: knock.consent,
    otherDevice: null,
  };
}

function unagreed(companions: readonly Companion[]): readonly Companion[] {
  return companions.map((c) => ({ name: c.name, agreed: false }));
}

function invitee(id: string, role: Participant['role']): Participant {
  return {
    id,
    role,
    state: 'invited',
    companions: [],
    admissionNumber: 0,
    facilitatorKey: null,
    consent: null,
    declines: 0,
    lastDeclinedAt: null,
    linkRevoked: false,
    device: null,
    otherDevice: null,
    connection: 'connecting',
    lostAt: null,
  };
}

/**
 * Applies one event to the state. Pure and deterministic: `decide` builds its new state with
 * this same function, so replaying the stored log always yields the live state. Events are
 * facts already decided; an event about an unknown participant changes nothing. An unknown
 * event type is a bug (a log written by a newer schema) and throws.
 */
export function reduce(state: MeetingState, event: MeetingEvent): MeetingState {
  switch (event.type) {
    case 'participant.invited':
      return {
        ...state,
        participants: [...state.participants, invitee(event.participantId, event.role)],
      };
    case 'participant.joined_lobby':
      return updateParticipant(state, event.participantId, (p) => ({
        ...p,
        state: 'waiting',
        companions: event.companions,
        device: event.device ?? p.device,
        otherDevice: null,
        ...(event.fromAnotherDevice ? { facilitatorKey: null, consent: null } : {}),
      }));
    case 'device.knocked':
      return updateParticipant(state, event.participantId, (p) => ({
        ...p,
        otherDevice: {
          device: event.device,
          state: 'waiting',
          companions: event.companions,
          facilitatorKey: null,
          consent: null,
          at: event.at,
        },
      }));
    case 'admission.approved': {
      const key = { by: event.by, at: event.at };
      if (event.otherDevice) {
        return updateOtherDevice(state, event.participantId, (k) => ({
          ...k,
          facilitatorKey: key,
        }));
      }
      return updateParticipant(state, event.participantId, (p) => ({ ...p, facilitatorKey: key }));
    }
    case 'consent.given': {
      const consent = { kind: event.kind, by: event.by, at: event.at };
      const agree = (companions: readonly Companion[]) =>
        companions.map((c) =>
          event.companions.includes(c.name) ? { name: c.name, agreed: true } : c,
        );
      if (event.otherDevice) {
        return updateOtherDevice(state, event.participantId, (k) => ({
          ...k,
          consent,
          companions: agree(k.companions),
        }));
      }
      return updateParticipant(state, event.participantId, (p) => ({
        ...p,
        consent,
        companions: agree(p.companions),
      }));
    }
    case 'consent.withdrawn':
      return updateParticipant(state, event.participantId, (p) => ({
        ...p,
        consent: null,
        companions: unagreed(p.companions),
      }));
    case 'participant.admitted':
      return updateParticipant(state, event.participantId, (p) => ({
        ...p,
        state: 'admitted',
        admissionNumber: event.admissionNumber,
        facilitatorKey: null,
        // A new admission (a first one, or the seat moving device) connects afresh.
        connection: 'connecting',
        lostAt: null,
        // Letting in the knock from another device moves the seat to that device.
        ...(event.otherDevice && p.otherDevice
          ? {
              device: p.otherDevice.device,
              companions: p.otherDevice.companions,
              consent: p.otherDevice.consent,
              otherDevice: null,
            }
          : {}),
      }));
    case 'participant.declined': {
      const counted = updateParticipant(state, event.participantId, (p) => ({
        ...p,
        declines: p.declines + 1,
        lastDeclinedAt: event.at,
      }));
      if (event.otherDevice) {
        return updateOtherDevice(counted, event.participantId, (k) => ({
          ...k,
          state: 'declined',
          facilitatorKey: null,
        }));
      }
      return updateParticipant(counted, event.participantId, (p) => ({
        ...p,
        state: 'declined',
        facilitatorKey: null,
      }));
    }
    case 'participant.removed': {
      const next = updateParticipant(state, event.participantId, (p) => ({
        ...p,
        state: 'stepped_out',
        facilitatorKey: null,
        consent: null,
        companions: unagreed(p.companions),
        otherDevice: null,
      }));
      return withoutWish(next, event.participantId);
    }
    case 'companions.changed':
      return updateParticipant(state, event.participantId, (p) => ({
        ...p,
        companions: event.companions,
      }));
    case 'mode.changed':
      return { ...state, mode: event.mode, wishes: [], respondOrder: event.respondOrder };
    case 'hand.raised':
      return {
        ...state,
        wishes: [...state.wishes, { participantId: event.participantId, at: event.at }],
      };
    case 'record.added': {
      const { entryId: id, kind, text, by, at } = event;
      const entry: RecordEntry = {
        id,
        kind,
        text,
        by,
        at,
        who: event.who ?? null,
        when: event.when ?? null,
        meetingAt: event.meetingAt ?? null,
        corrects: event.corrects ?? null,
      };
      return { ...state, record: [...state.record, entry] };
    }
    case 'meeting.started':
      return { ...state, status: 'live', startedAt: event.at };
    case 'meeting.ended':
      return {
        ...state,
        status: 'ended',
        endedAt: event.at,
        wishes: [],
        participants: state.participants.map((p) =>
          PRESENCE[p.state] === 'away'
            ? p
            : { ...p, state: 'left', facilitatorKey: null, otherDevice: null },
        ),
      };
    case 'participant.left': {
      if (event.otherDevice) {
        return updateOtherDevice(state, event.participantId, (k) => ({
          ...k,
          state: 'left',
          facilitatorKey: null,
        }));
      }
      const next = updateParticipant(state, event.participantId, seatLeft);
      return withoutWish(next, event.participantId);
    }
    case 'settings.changed':
      return { ...state, settings: completeSettings(event.settings) };
    case 'link.revoked':
      return updateParticipant(state, event.participantId, (p) => ({ ...p, linkRevoked: true }));
    case 'media.displaced':
      // A fact for the timeline and the facilitators' alert; the seat and admission stand.
      return state;
    case 'media.connected':
      return updateParticipant(state, event.participantId, (p) => ({
        ...p,
        connection: 'connected',
        lostAt: null,
      }));
    case 'media.lost':
      return updateParticipant(state, event.participantId, (p) => ({
        ...p,
        connection: 'lost',
        lostAt: event.at,
      }));
    case 'plan.changed':
      // The plan is in the participant's row; the event only says the views changed.
      return state;
    default:
      return assertNever(event, 'meeting event');
  }
}

/**
 * Rebuilds a meeting's state from its stored log, in sequence order. `initial` carries the
 * settings the meeting was created with (defaults otherwise).
 */
export function replay(
  events: readonly MeetingEvent[],
  initial: MeetingState = initialMeetingState(),
): MeetingState {
  return events.reduce(reduce, initial);
}
