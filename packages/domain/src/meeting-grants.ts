import { mediaGrants, type MediaGrants } from './grants.ts';
import { currentIdentity } from './media-identity.ts';
import { findParticipant, type MeetingState } from './meeting-state.ts';

/** Media exists only while the meeting is live: before its start and after its end, nobody. */
function meetingHasMedia(state: MeetingState): boolean {
  return state.status === 'live';
}

/** The grants one participant should hold now, or `null` for none (no token, no presence). */
export function grantsFor(state: MeetingState, participantId: string): MediaGrants | null {
  const participant = findParticipant(state, participantId);
  if (participant === undefined || !meetingHasMedia(state)) return null;
  return mediaGrants(participant.role, state.mode, participant.state, state.settings);
}

/** What the signal service pushes to LiveKit for one admitted participant. */
export interface MediaAssignment {
  readonly participantId: string;
  readonly identity: string;
  readonly grants: MediaGrants;
}

/**
 * The complete grant set for every admitted participant, for the state as it is now. After a
 * mode switch or a settings change, the signal service sends each of these in full with
 * `updateParticipant` (LiveKit replaces the whole permission object); repeating this from the
 * stored state is what makes rapid toggling converge.
 */
export function mediaAssignments(state: MeetingState): readonly MediaAssignment[] {
  if (!meetingHasMedia(state)) return [];
  return state.participants.flatMap((p) => {
    const identity = currentIdentity(p);
    const grants = mediaGrants(p.role, state.mode, p.state, state.settings);
    return identity === null || grants === null ? [] : [{ participantId: p.id, identity, grants }];
  });
}
