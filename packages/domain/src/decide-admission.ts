import { ADMISSION_RULE, pendingCompanions } from './admission-rules.ts';
import { declareCompanions, normaliseCompanions } from './companions.ts';
import type { JoinCommand } from './commands.ts';
import { knockRetryAt } from './knock-policy.ts';
import type { MeetingEvent } from './meeting-events.ts';
import { findParticipant, type MeetingState, type Participant } from './meeting-state.ts';
import { accept, admitIfReady, type Outcome } from './outcome.ts';
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
