import {
  coreTeams,
  holdersOfUsableInvites,
  membersOf,
  type MeetingRecord,
  type Tx,
} from '@polyphony/db';
import { defaultInviteRole } from '@polyphony/domain';
import type { InviteTarget } from './invites.ts';

/**
 * Everyone in the network who should have a link and has no usable one yet: every member, then
 * every core-team staff member, with the default roles (the meeting's creator facilitates).
 */
export async function everyoneWithoutLink(
  tx: Tx,
  meeting: MeetingRecord,
  now: number,
): Promise<InviteTarget[]> {
  const members = await membersOf(tx, meeting.networkId);
  const team = await coreTeams(tx, [meeting.networkId]);
  const holders = await holdersOfUsableInvites(tx, meeting.id, new Date(now));
  return [
    ...members
      .filter((m) => !holders.memberIds.has(m.id))
      .map((m) => ({
        memberId: m.id,
        staffId: null,
        displayName: m.name,
        role: defaultInviteRole({ kind: 'member', isCentre: m.isCentre }),
        language: null,
      })),
    ...team
      .filter((t) => !holders.staffIds.has(t.staffId))
      .map((t) => ({
        memberId: null,
        staffId: t.staffId,
        displayName: t.displayName,
        role: defaultInviteRole({
          kind: 'staff',
          isCoreTeam: true,
          isMeetingCreator: meeting.createdBy === t.staffId,
        }),
        language: null,
      })),
  ];
}
