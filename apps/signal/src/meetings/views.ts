import {
  findMeetingDetail,
  type Db,
  type InviteListing,
  type MeetingInNetwork,
  type ParticipantCount,
} from '@polyphony/db';
import { PARTICIPANT_STATES, isReflectingTeam, type ParticipantState } from '@polyphony/domain';
import type { Invite, MeetingDetail, ParticipantsSummary } from '@polyphony/protocol';
import { toMeetingSummary } from '../networks/views.ts';
import { meetingNotFound } from './access.ts';

export function toInvite(v: InviteListing): Invite {
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

function participantsSummary(
  counts: readonly ParticipantCount[],
  live: boolean,
): ParticipantsSummary {
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

function toMeetingDetail(
  found: MeetingInNetwork,
  invites: readonly InviteListing[],
  counts: readonly ParticipantCount[],
  canEmailLinks: boolean,
): MeetingDetail {
  return {
    meeting: toMeetingSummary(found.meeting, found.network.label),
    invites: invites.map(toInvite),
    participants: participantsSummary(counts, found.meeting.state === 'live'),
    canEmailLinks,
  };
}

/**
 * A meeting as staff see it — summary, links (never their tokens), head-counts — read by id in
 * one query; 404 unless it belongs to the organisation (as `readableMeeting`).
 */
export async function readMeetingDetail(
  db: Db,
  organisationId: string,
  meetingId: string,
  canEmailLinks: boolean,
): Promise<MeetingDetail> {
  const found = await findMeetingDetail(db, organisationId, meetingId);
  if (!found) throw meetingNotFound();
  return toMeetingDetail(found, found.invites, found.counts, canEmailLinks);
}
