import { ADMISSION_RULE, type MeetingRole } from '@polyphony/domain';
import type { AdmissionView } from '@polyphony/protocol';

/** What a person outside the room is told, in plain words (see the `lobby_` messages). */
export type LobbyStatus =
  /** Has a place but has not knocked (staff who opened the room without entering). */
  | { readonly kind: 'not_entered' }
  | { readonly kind: 'waiting' }
  | { readonly kind: 'stepped_out' }
  /** `retryAt`: when knocking again is allowed (null: now). */
  | { readonly kind: 'declined'; readonly retryAt: Date | null }
  | { readonly kind: 'link_revoked' }
  | { readonly kind: 'left' }
  | { readonly kind: 'in_room' };

/** The lobby's message for one's own place at the door. */
export function lobbyStatus(admission: AdmissionView, now: number): LobbyStatus {
  if (admission.linkRevoked && admission.state !== 'admitted') return { kind: 'link_revoked' };
  switch (admission.state) {
    case 'admitted':
      return { kind: 'in_room' };
    case 'invited':
      return { kind: 'not_entered' };
    case 'waiting':
      return { kind: 'waiting' };
    case 'stepped_out':
      return { kind: 'stepped_out' };
    case 'declined': {
      const at = admission.retryAt === null ? null : new Date(admission.retryAt);
      return { kind: 'declined', retryAt: at !== null && at.getTime() > now ? at : null };
    }
    case 'left':
      return { kind: 'left' };
  }
}

/** Whether the centre person must also agree to let this person in (the domain's two-key rule). */
export function centreIsAsked(admission: AdmissionView): boolean {
  return admission.hasCentrePerson && ADMISSION_RULE[admission.role] === 'two_keys';
}

/** Whether coming back is a knock someone answers (not core-team staff, who go straight in). */
export function knocksToComeBack(role: MeetingRole): boolean {
  return ADMISSION_RULE[role] !== 'core_team';
}

/** Whether the lobby offers to knock again now (after leaving, or once a "not now" has passed). */
export function mayKnockAgain(status: LobbyStatus): boolean {
  return status.kind === 'left' || (status.kind === 'declined' && status.retryAt === null);
}
