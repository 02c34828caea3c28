import { ADMISSION_RULE, pendingCompanions } from './admission-rules.ts';
import { companionChanges, declareCompanions, normaliseCompanions } from './companions.ts';
import type { JoinCommand, UpdateOwnCompanionsCommand } from './commands.ts';
import { knockRetryAt, knockWaitMs } from './knock-policy.ts';
import type { MeetingEvent } from './meeting-events.ts';
import { findParticipant, type MeetingState, type Participant } from './meeting-state.ts';
import { accept, admitIfReady, type Outcome } from './outcome.ts';
import { PRESENCE } from './participant-state.ts';
import { reject } from './result.ts';

/**
 * A knock. Waiting or admitted already: nothing changes (a reload, a second tab). A revoked link
 * cannot knock; a recently declined person must wait (`KNOCK_TOO_SOON` with `retryAt`).
 * Core-team staff are admitted in the same step; everyone else waits in the lobby.
 */
export function join(state: MeetingState, command: JoinCommand, now: number): Outcome {
  const p = findParticipant(state, command.actorId);
  if (p === undefined) return reject('UNKNOWN_PARTICIPANT');
  if (p.linkRevoked) return reject('LINK_REVOKED');
  if (p.state === 'waiting' || p.state === 'admitted') return accept();
  const retryAt = knockRetryAt(p.declines, p.lastDeclinedAt);
  if (retryAt !== null && now < retryAt) return reject('KNOCK_TOO_SOON', retryAt);
  const names = normaliseCompanions(command.companions);
  if (names === null) return reject('INVALID_INPUT');
  const knocked: MeetingEvent = {
    type: 'participant.joined_lobby',
    at: now,
    participantId: p.id,
    companions: declareCompanions(p, names),
  };
  return admitIfReady(state, [knocked], p.id, now);
}

/** A facilitator's key for this knock; admits at once unless the centre person's consent is due. */
export function admit(
  state: MeetingState,
  actor: Participant,
  target: Participant,
  now: number,
): Outcome {
  if (target.facilitatorKey !== null) return accept();
  const approved: MeetingEvent = {
    type: 'admission.approved',
    at: now,
    participantId: target.id,
    by: actor.id,
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
  };
  return admitIfReady(state, [given], target.id, now);
}

/** From the centre person, turning someone away also withdraws the consent they had given. */
function withdrawal(actor: Participant, target: Participant, now: number): MeetingEvent[] {
  if (actor.role !== 'centre' || target.consent === null) return [];
  return [{ type: 'consent.withdrawn', at: now, participantId: target.id, by: actor.id }];
}

/** "Not now": the person sees a kind message and may knock again from `retryAt`. */
export function decline(
  _state: MeetingState,
  actor: Participant,
  target: Participant,
  now: number,
): Outcome {
  return accept(...withdrawal(actor, target, now), {
    type: 'participant.declined',
    at: now,
    participantId: target.id,
    by: actor.id,
    retryAt: now + knockWaitMs(target.declines + 1),
  });
}

/**
 * Ask to leave: out of media at once, back in the lobby. Consent and admission are spent: coming
 * back takes both keys again and a new admission number.
 */
export function remove(
  _state: MeetingState,
  actor: Participant,
  target: Participant,
  now: number,
): Outcome {
  return accept(...withdrawal(actor, target, now), {
    type: 'participant.removed',
    at: now,
    participantId: target.id,
    by: actor.id,
    admissionNumber: target.admissionNumber,
  });
}

/** Leaving the lobby or the room; for someone already away it changes nothing. */
export function leave(actor: Participant, now: number): Outcome {
  if (PRESENCE[actor.state] === 'away') return accept();
  return accept({ type: 'participant.left', at: now, participantId: actor.id, reason: 'left' });
}

/**
 * A new declaration of who is physically present. Every change is announced; new names await
 * the centre person's agreement. In the lobby, dropping the last pending name may open the door.
 */
export function updateOwnCompanions(
  state: MeetingState,
  actor: Participant,
  command: UpdateOwnCompanionsCommand,
  now: number,
): Outcome {
  const names = normaliseCompanions(command.companions);
  if (names === null) return reject('INVALID_INPUT');
  const companions = declareCompanions(actor, names);
  const { added, removed } = companionChanges(actor.companions, companions);
  if (added.length === 0 && removed.length === 0) return accept();
  const changed: MeetingEvent = {
    type: 'companions.changed',
    at: now,
    participantId: actor.id,
    companions,
    added,
    removed,
  };
  return admitIfReady(state, [changed], actor.id, now);
}
