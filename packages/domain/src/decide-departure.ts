import { knockWaitMs } from './knock-policy.ts';
import { SERVER_ACTOR, type MeetingEvent } from './meeting-events.ts';
import type { Participant } from './meeting-state.ts';
import { accept, type DeviceTag, type Outcome } from './outcome.ts';
import { PRESENCE } from './participant-state.ts';
import type { ServerRemovalReason } from './track-kinds.ts';

/** From the centre person, turning someone away also withdraws the consent they had given. */
function withdrawal(actor: Participant, target: Participant, now: number): MeetingEvent[] {
  if (actor.role !== 'centre' || target.consent === null) return [];
  return [{ type: 'consent.withdrawn', at: now, participantId: target.id, by: actor.id }];
}

/**
 * "Not now": the person sees a kind message and may knock again from `retryAt`. For a knock
 * from another device only that knock is turned away: the seat, and the consent given for it,
 * stay untouched.
 */
export function decline(
  actor: Participant,
  target: Participant,
  tag: DeviceTag,
  now: number,
): Outcome {
  return accept(...(tag.otherDevice ? [] : withdrawal(actor, target, now)), {
    type: 'participant.declined',
    at: now,
    participantId: target.id,
    by: actor.id,
    retryAt: now + knockWaitMs(target.declines + 1),
    ...tag,
  });
}

/**
 * Ask to leave: out of media at once, back in the lobby. Consent and admission are spent: coming
 * back takes both keys again and a new admission number.
 */
export function remove(actor: Participant, target: Participant, now: number): Outcome {
  return accept(...withdrawal(actor, target, now), {
    type: 'participant.removed',
    at: now,
    participantId: target.id,
    by: actor.id,
    admissionNumber: target.admissionNumber,
  });
}

/**
 * Leaving the lobby or the room; for someone already away it changes nothing. `actor` is the
 * person as their device sees it: from a knock from another device, leaving withdraws only that
 * knock (`tag`), never the seat.
 */
export function leave(actor: Participant, tag: DeviceTag, now: number): Outcome {
  if (PRESENCE[actor.state] === 'away') return accept();
  return accept({
    type: 'participant.left',
    at: now,
    participantId: actor.id,
    reason: 'left',
    ...tag,
  });
}

/** A displaced seat is worth telling facilitators only while the person is in the room. */
export function noteDisplaced(target: Participant, now: number): Outcome {
  if (PRESENCE[target.state] !== 'media') return accept();
  return accept({ type: 'media.displaced', at: now, participantId: target.id });
}

/**
 * The server takes someone out of the room for a forged track: like being asked to leave
 * (consent and admission spent, back in the lobby), with the reason in the log. Someone not in
 * the room is left as they are.
 */
export function eject(target: Participant, reason: ServerRemovalReason, now: number): Outcome {
  if (PRESENCE[target.state] !== 'media') return accept();
  return accept({
    type: 'participant.removed',
    at: now,
    participantId: target.id,
    by: SERVER_ACTOR,
    admissionNumber: target.admissionNumber,
    reason,
  });
}
