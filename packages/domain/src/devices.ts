import {
  findParticipant,
  type MeetingState,
  type OtherDeviceKnock,
  type Participant,
} from './meeting-state.ts';
import { isEventVisibleTo } from './live-audience.ts';
import type { MeetingEvent } from './meeting-events.ts';
import { PRESENCE } from './participant-state.ts';

/**
 * Where one device (a guest session of a personal link) stands with the person's place:
 * - `holder`: it holds the place (the seat in the room, or the place in the lobby). A reload on
 *   the same device keeps the same session, so it keeps the seat.
 * - `other_device`: it is a knock from another device while the seat is held by the first one.
 * - `moved`: the place passed to another device; this session no longer counts for anything.
 */
export type DeviceStanding = 'holder' | 'other_device' | 'moved';

/**
 * Does this session hold the person's place? Staff act through their staff session
 * (`device` absent) and a place never knocked from a guest session has no device yet: both hold.
 */
export function deviceStanding(p: Participant, device: string | undefined): DeviceStanding {
  if (device === undefined || p.device === null || p.device === device) return 'holder';
  if (p.otherDevice?.device === device) return 'other_device';
  return 'moved';
}

/**
 * What opening the personal link on a device does (the knock, `join`):
 * - `stay`: this device already holds the place, or its knock is already waiting: nothing
 *   changes (a reload, a second tab, the link opened again in the same browser).
 * - `knock`: knock as always (the first time, or again after leaving or a "not now").
 * - `knock_from_another_device`: nobody holds a seat in the room, so this device takes the
 *   person's place in the lobby, and every key is asked afresh (the browser was closed, or the
 *   link was forwarded).
 * - `knock_beside_seat`: the seat is held in the room by another device. This device knocks
 *   without touching it; the seat moves only when this knock is let in (see `DeviceKnocked`).
 */
export type LinkOpening = 'stay' | 'knock' | 'knock_from_another_device' | 'knock_beside_seat';

/** Must this device knock, and how? The rule is the table in docs/domain.md ("Devices"). */
export function linkOpening(p: Participant, device: string | undefined): LinkOpening {
  const inRoom = PRESENCE[p.state] === 'media';
  switch (deviceStanding(p, device)) {
    case 'holder':
      return inRoom || p.state === 'waiting' ? 'stay' : 'knock';
    case 'other_device':
      if (p.otherDevice?.state === 'waiting') return 'stay';
      return inRoom ? 'knock_beside_seat' : 'knock_from_another_device';
    case 'moved':
      return inRoom ? 'knock_beside_seat' : 'knock_from_another_device';
  }
}

/**
 * The knock from another device as a participant in the lobby, so the admission rules apply to
 * it unchanged: its own companions and keys, and its own state (waiting, declined or left).
 * `undefined` when there is no such knock.
 */
export function otherDeviceView(p: Participant, knock: OtherDeviceKnock): Participant {
  return {
    ...p,
    state: knock.state,
    device: knock.device,
    companions: knock.companions,
    facilitatorKey: knock.facilitatorKey,
    consent: knock.consent,
    otherDevice: null,
  };
}

/** The knock from another device if it is waiting to be let in now. */
export function waitingOtherDevice(p: Participant): Participant | undefined {
  const knock = p.otherDevice;
  return knock?.state === 'waiting' && PRESENCE[p.state] === 'media'
    ? otherDeviceView(p, knock)
    : undefined;
}

/**
 * The meeting as one device of a participant sees it: unchanged for the device holding the
 * place; for a knock from another device, the person is that knock (in the lobby, no media);
 * `null` for a device whose place moved to another device (it must be told so and stop).
 * After the end every device of the person sees the ended meeting (to read the record).
 */
export function seenFromDevice(
  state: MeetingState,
  participantId: string,
  device: string | undefined,
): MeetingState | null {
  const p = findParticipant(state, participantId);
  if (p === undefined || state.status === 'ended') return state;
  const standing = deviceStanding(p, device);
  if (standing === 'holder') return state;
  if (standing === 'moved' || p.otherDevice === null) return null;
  const view = otherDeviceView(p, p.otherDevice);
  return {
    ...state,
    participants: state.participants.map((x) => (x.id === participantId ? view : x)),
  };
}

/** Events a knock from another device is told about besides the meeting's start and end. */
function aboutTheKnock(event: MeetingEvent): boolean {
  return event.type === 'device.knocked' || ('otherDevice' in event && event.otherDevice === true);
}

/**
 * Whether this device of a participant sees an event on the live channel (applied to the state
 * after the event): the audience rules of `isEventVisibleTo` for the meeting as the device sees
 * it. A knock from another device is not (yet) the person: it hears of its own knock and the
 * meeting's start and end, never of the seat's companions, wishes or removal.
 */
export function isEventVisibleFromDevice(
  state: MeetingState,
  participantId: string,
  device: string | undefined,
  event: MeetingEvent,
): boolean {
  const view = seenFromDevice(state, participantId, device);
  const self = view && findParticipant(view, participantId);
  if (!self || !isEventVisibleTo(self, event)) return false;
  const whole = findParticipant(state, participantId)!;
  if (deviceStanding(whole, device) !== 'other_device') return true;
  return aboutTheKnock(event) || event.type === 'meeting.started' || event.type === 'meeting.ended';
}
