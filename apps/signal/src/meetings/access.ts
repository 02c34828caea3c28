import {
  coreTeams,
  findMeetingInOrganisation,
  type Db,
  type MeetingInNetwork,
  type StaffSessionView,
} from '@polyphony/db';
import { AppError } from '../app-error.ts';
import { assertMayManage } from '../networks/access.ts';

export const meetingNotFound = () => new AppError('NOT_FOUND', 'There is no such meeting.');

/** The meeting if it belongs to the staff member's organisation (404 otherwise). */
export async function readableMeeting(
  db: Db,
  session: StaffSessionView,
  meetingId: string,
): Promise<MeetingInNetwork> {
  const found = await findMeetingInOrganisation(db, session.staff.organisationId, meetingId);
  if (!found) throw meetingNotFound();
  return found;
}

/** As {@link readableMeeting}, and 403 unless the staff member may manage its network. */
export async function manageableMeeting(
  db: Db,
  session: StaffSessionView,
  meetingId: string,
): Promise<MeetingInNetwork & { coreTeamIds: Set<string> }> {
  const found = await readableMeeting(db, session, meetingId);
  const coreTeamIds = new Set((await coreTeams(db, [found.network.id])).map((t) => t.staffId));
  assertMayManage(session, coreTeamIds);
  return { ...found, coreTeamIds };
}
