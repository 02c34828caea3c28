import {
  invitesOf,
  participantCounts,
  type Db,
  type DbOrTx,
  type InviteView,
  type MeetingInNetwork,
} from '@polyphony/db';
import { PARTICIPANT_STATES, isReflectingTeam, type ParticipantState } from '@polyphony/domain';
import type { Invite, MeetingDetail, ParticipantsSummary } from '@polyphony/protocol';
import { toMeetingSummary } from '../networks/views.ts';

export function toInvite(v: InviteView): Invite {
  return {
    id: v.invite.id,
    memberId: v.invite.networkMemberId,
    staffId: v.invite.staffId,
    name: v.name,
    role: v.invite.role,
    language: v.language,
    expiresAt: v.invite.expiresAt.toISOString(),
    revokedAt: v.invite.revokedAt?.toISOString() ?? null,
    used: v.used,
    createdAt: v.invite.createdAt.toISOString(),
  };
}

async function participantsSummary(
  db: Db,
  meetingId: string,
  live: boolean,
): Promise<ParticipantsSummary> {
  const counts = await participantCounts(db, [meetingId]);
  const byState = Object.fromEntries(PARTICIPANT_STATES.map((s) => [s, 0])) as Record<
    ParticipantState,
    number
  >;
  let reflectingTeamAdmitted = 0;
  for (const c of counts) {
    byState[c.state] += c.n;
    if (c.state === 'admitted' && isReflectingTeam(c.role)) reflectingTeamAdmitted += c.n;
  }
  return { byState, reflectingTeamAdmitted, fewerThanTwoTeam: live && reflectingTeamAdmitted < 2 };
}

/** A meeting as staff see it: summary, links (never their tokens), head-counts. */
export async function meetingDetail(
  db: Db,
  found: MeetingInNetwork,
  canEmailLinks: boolean,
): Promise<MeetingDetail> {
  const [invites, participants] = await Promise.all([
    invitesOf(db as DbOrTx, found.meeting.id),
    participantsSummary(db, found.meeting.id, found.meeting.state === 'live'),
  ]);
  return {
    meeting: toMeetingSummary(found.meeting, found.network.label),
    invites: invites.map(toInvite),
    participants,
    canEmailLinks,
  };
}
