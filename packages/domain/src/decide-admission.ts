import { ADMISSION_RULE, pendingCompanions } from './admission-rules.ts';
import { declareCompanions, normaliseCompanions } from './companions.ts';
import type { JoinCommand } from './commands.ts';
import { knockRetryAt } from './knock-policy.ts';
import type { MeetingEvent } from './meeting-events.ts';
import { findParticipant, type MeetingState, type Participant } from './meeting-state.ts';
import { linkOpening } from './devices.ts';
import { accept, admitIfReady, type DeviceTag, type Outcome } from './outcome.ts';
import { reject } from './result.ts';

/**
 * A knock, from the device `command.device` (a guest session; absent for staff). The same
 * device already waiting or in the room: nothing changes (a reload, a second tab). Another
 * device knocks under the person's rule with every key asked afresh (see `linkOpening`): beside
 * the seat if the seat is held in the room, else in the person's place. A revoked link cannot
 * knock; a recently declined person must wait (`KNOCK_TOO_SOON` with `retryAt`). Core-team
 * staff are admitted in the same step; everyone else waits in the lobby.
 */
export function join(state: MeetingState, command: JoinCommand, now: number): Outcome {
  const p = findParticipant(state, command.actorId);
  if (p === undefined) return reject('UNKNOWN_PARTICIPANT');
  if (p.linkRevoked) return reject('LINK_REVOKED');
  const opening = linkOpening(p, command.device);
  if (opening === 'stay') return accept();
  const retryAt = knockRetryAt(p.declines, p.lastDeclinedAt);
  if (retryAt !== null && now < retryAt) return reject('KNOCK_TOO_SOON', retryAt);
  const names = normaliseCompanions(command.companions);
  if (names === null) return reject('INVALID_INPUT');
  if (opening === 'knock') {
    const knocked: MeetingEvent = {
      type: 'participant.joined_lobby',
      at: now,
      participantId: p.id,
      companions: declareCompanions(p, names),
      ...(command.device === undefined ? {} : { device: command.device }),
    };
    return admitIfReady(state, [knocked], p.id, now);
  }
  // Another device: nothing agreed for the person on the first device carries over.
  const device = command.device!;
  const companions = declareCompanions({ ...p, companions: [] }, names);
  const knocked: MeetingEvent =
    opening === 'knock_beside_seat'
      ? { type: 'device.knocked', at: now, participantId: p.id, device, companions }
      : {
          type: 'participant.joined_lobby',
          at: now,
          participantId: p.id,
          companions,
          device,
          fromAnotherDevice: true,
        };
  return admitIfReady(state, [knocked], p.id, now);
}

/** A facilitator's key for this knock; admits at once unless the centre person's consent is due. */
export function admit(
  state: MeetingState,
  actor: Participant,
  target: Participant,
  tag: DeviceTag,
  now: number,
): Outcome {
  if (target.facilitatorKey !== null) return accept();
  const approved: MeetingEvent = {
    type: 'admission.approved',
    at: now,
    participantId: target.id,
    by: actor.id,
    ...tag,
  };
  return admitIfReady(state, [approved], target.id, now);
}

/**
 * The centre person's consent: to the person (if their role needs it and it is not yet given)
 * and to every companion declared with them that is still pending. Admits if the facilitator's
 * key is already turned.
 */
export function consent(
  state: MeetingState,
  actor: Participant,
  target: Participant,
  tag: DeviceTag,
  now: number,
): Outcome {
  const personDue = target.consent === null && ADMISSION_RULE[target.role] === 'two_keys';
  const companions = pendingCompanions(target);
  if (!personDue && companions.length === 0) return accept();
  const given: MeetingEvent = {
    type: 'consent.given',
    at: now,
    participantId: target.id,
    by: actor.id,
    kind: 'live',
    companions,
    ...tag,
  };
  return admitIfReady(state, [given], target.id, now);
}
