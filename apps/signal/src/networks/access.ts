import {
  coreTeams,
  findNetwork,
  type Db,
  type NetworkRow,
  type StaffSessionView,
} from '@polyphony/db';
import { episodeIsOpen, staffMayManageNetwork } from '@polyphony/domain';
import { AppError } from '../app-error.ts';

export const networkNotFound = () => new AppError('NOT_FOUND', 'There is no such network.');

/** The network (404 if not the staff member's organisation's) and whether they are core team. */
export async function readableNetwork(
  db: Db,
  session: StaffSessionView,
  networkId: string,
): Promise<{ network: NetworkRow; coreTeamIds: Set<string> }> {
  const network = await findNetwork(db, session.staff.organisationId, networkId);
  if (!network) throw networkNotFound();
  const team = await coreTeams(db, [network.id]);
  return { network, coreTeamIds: new Set(team.map((t) => t.staffId)) };
}

/** As {@link readableNetwork}, and 403 unless the staff member may change it (domain rule). */
export async function manageableNetwork(
  db: Db,
  session: StaffSessionView,
  networkId: string,
): Promise<{ network: NetworkRow; coreTeamIds: Set<string> }> {
  const found = await readableNetwork(db, session, networkId);
  assertMayManage(session, found.coreTeamIds);
  return found;
}

export function assertMayManage(session: StaffSessionView, coreTeamIds: ReadonlySet<string>): void {
  if (!staffMayManageNetwork(session.staff.role, coreTeamIds.has(session.staff.id))) {
    throw new AppError('FORBIDDEN', "Only this network's core team can change it.");
  }
}

/** As {@link manageableNetwork}, and 409 once the care episode is closed (domain rule). */
export async function changeableNetwork(
  db: Db,
  session: StaffSessionView,
  networkId: string,
): Promise<{ network: NetworkRow; coreTeamIds: Set<string> }> {
  const found = await manageableNetwork(db, session, networkId);
  if (!episodeIsOpen({ closedAt: found.network.closedAt?.getTime() ?? null })) {
    throw new AppError('EPISODE_CLOSED', 'This care episode is closed.');
  }
  return found;
}
