import { waitingOtherDevice } from './devices.ts';
import { admissionBasis } from './admission-rules.ts';
import type {
  InviteCommand,
  OpenMeetingCommand,
  RecordPreApprovalCommand,
  RevokeLinkCommand,
} from './commands.ts';
import {
  centrePerson,
  centrePlaceGivesWay,
  findParticipant,
  type MeetingState,
} from './meeting-state.ts';
import { accept, admitIfReady, type Outcome } from './outcome.ts';
import { PRESENCE } from './participant-state.ts';
import { reject } from './result.ts';
import { MEETING_ROLES } from './roles.ts';

/** Opens the meeting once: later opens, and the first core-team entry after it, add nothing. */
export function openMeeting(
  state: MeetingState,
  command: OpenMeetingCommand,
  now: number,
): Outcome {
  if (state.status === 'live') return accept();
  return accept({ type: 'meeting.started', at: now, by: command.actorId });
}

/**
 * A new participant with a role. A meeting has at most one person at the centre; a new link
 * for them may be made once their old link was revoked and they are not in the room.
 */
export function invite(state: MeetingState, command: InviteCommand, now: number): Outcome {
  const roles: readonly string[] = MEETING_ROLES;
  if (command.participantId === '' || !roles.includes(command.role)) {
    return reject('INVALID_INPUT');
  }
  if (findParticipant(state, command.participantId)) return reject('ALREADY_INVITED');
  const centre = centrePerson(state);
  if (command.role === 'centre' && centre && !centrePlaceGivesWay(centre)) {
    return reject('CENTRE_ALREADY_SET');
  }
  return accept({
    type: 'participant.invited',
    at: now,
    participantId: command.participantId,
    role: command.role,
    by: command.actorId,
  });
}

/**
 * Records the centre person's advance consent, with the staff id that recorded it and the time.
 * Only meaningful for people who need consent in a meeting that has a centre person. If the
 * person is already waiting with a facilitator's key, this admits them.
 */
export function recordPreApproval(
  state: MeetingState,
  command: RecordPreApprovalCommand,
  now: number,
): Outcome {
  const target = findParticipant(state, command.participantId);
  if (target === undefined) return reject('TARGET_NOT_FOUND');
  if (admissionBasis(state, target) !== 'two_keys') return reject('CONSENT_NOT_NEEDED');
  if (target.consent !== null) return accept();
  return admitIfReady(
    state,
    [
      {
        type: 'consent.given',
        at: now,
        participantId: target.id,
        by: command.actorId,
        kind: 'pre_approval',
        companions: [],
      },
    ],
    target.id,
    now,
  );
}

/** Revokes a link. A holder in the lobby leaves at once; an admitted holder stays until asked. */
export function revokeLink(state: MeetingState, command: RevokeLinkCommand, now: number): Outcome {
  const target = findParticipant(state, command.participantId);
  if (target === undefined) return reject('TARGET_NOT_FOUND');
  if (target.linkRevoked) return accept();
  const revoked = {
    type: 'link.revoked',
    at: now,
    participantId: target.id,
    by: command.actorId,
  } as const;
  if (waitingOtherDevice(target)) {
    // A knock from another device is waiting: it goes; the seat in the room stays.
    return accept(revoked, {
      type: 'participant.left',
      at: now,
      participantId: target.id,
      reason: 'link_revoked',
      otherDevice: true,
    });
  }
  if (PRESENCE[target.state] !== 'lobby') return accept(revoked);
  return accept(revoked, {
    type: 'participant.left',
    at: now,
    participantId: target.id,
    reason: 'link_revoked',
  });
}
