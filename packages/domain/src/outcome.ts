import { admissionBasis, admissionStatus } from './admission-rules.ts';
import { waitingOtherDevice } from './devices.ts';
import type { MeetingEvent } from './meeting-events.ts';
import { findParticipant, type MeetingState } from './meeting-state.ts';
import { PRESENCE } from './participant-state.ts';
import { reduce } from './reduce.ts';
import type { Rejection } from './result.ts';

/** What a command handler returns: the events it decided, or a coded refusal. */
export type Outcome = { readonly ok: true; readonly events: readonly MeetingEvent[] } | Rejection;

/** An accepted command; no events means it changed nothing (a harmless repeat). */
export function accept(...events: readonly MeetingEvent[]): Outcome {
  return { ok: true, events };
}

/** Tags events about a knock from another device (see `DeviceKnocked`); empty otherwise. */
export type DeviceTag = { readonly otherDevice: true } | Record<string, never>;
export const OTHER_DEVICE: DeviceTag = { otherDevice: true };
export const SEAT: DeviceTag = {};

/**
 * Appends the admission if, after `events`, the participant is in the lobby with every needed
 * key turned, or their knock from another device is. Called after anything that can turn the
 * last key (a knock, an admit, a consent, a pre-approval, a companion leaving), so the door
 * opens in the same step as the last key. The first admission of the meeting also starts it.
 * Letting in a knock from another device gives the seat a new admission number on that device.
 */
export function admitIfReady(
  state: MeetingState,
  events: readonly MeetingEvent[],
  participantId: string,
  now: number,
): Outcome {
  const next = events.reduce(reduce, state);
  const p = findParticipant(next, participantId);
  const otherDevice = p && waitingOtherDevice(p);
  const knock = p && PRESENCE[p.state] === 'lobby' ? p : otherDevice;
  if (p === undefined || knock === undefined || !admissionStatus(next, knock).ready) {
    return accept(...events);
  }
  const admitted: MeetingEvent = {
    type: 'participant.admitted',
    at: now,
    participantId,
    admissionNumber: p.admissionNumber + 1,
    basis: admissionBasis(next, knock),
    ...(otherDevice ? OTHER_DEVICE : SEAT),
  };
  if (next.status !== 'scheduled') return accept(...events, admitted);
  return accept(...events, { type: 'meeting.started', at: now, by: participantId }, admitted);
}
