import {
  attendeesOf,
  coreTeamAttendance,
  coreTeams,
  meetingsOf,
  membersOf,
  networkSummaryRows,
  findNetwork,
  type CoreTeamEntry,
  type Db,
  type MeetingRecord,
  type NetworkMemberRow,
  type NetworkRow,
} from '@polyphony/db';
import { networkFigures } from '@polyphony/domain';
import type {
  CoreTeamMember,
  MeetingSummary,
  NetworkDetail,
  NetworkFigures,
  NetworkMember,
  NetworkSummary,
} from '@polyphony/protocol';

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function toMeetingSummary(m: MeetingRecord, networkLabel: string): MeetingSummary {
  return {
    id: m.id,
    networkId: m.networkId,
    networkLabel,
    kind: m.scheduledAt ? 'scheduled' : 'immediate',
    state: m.state,
    mode: m.mode,
    scheduledAt: iso(m.scheduledAt),
    startedAt: iso(m.startedAt),
    endedAt: iso(m.endedAt),
    createdAt: m.createdAt.toISOString(),
    purgedAt: iso(m.purgedAt),
  };
}

export function toNetworkMember(m: NetworkMemberRow): NetworkMember {
  return {
    id: m.id,
    name: m.name,
    relationship: m.relationship,
    isCentre: m.isCentre,
    preApprovedAt: iso(m.preApprovedAt),
    preApprovedBy: m.preApprovedBy,
  };
}

function toCoreTeamMember(c: Omit<CoreTeamEntry, 'networkId'>): CoreTeamMember {
  return { staffId: c.staffId, displayName: c.displayName, role: c.role };
}

function figuresOf(
  network: NetworkRow,
  meetings: readonly { readonly startedAt: Date | null; readonly coreTeamAttendees: number }[],
  now: number,
): NetworkFigures {
  const f = networkFigures(
    {
      firstContactAt: network.firstContactAt.getTime(),
      meetings: meetings.map((m) => ({
        startedAt: m.startedAt?.getTime() ?? null,
        coreTeamAttendees: m.coreTeamAttendees,
      })),
    },
    now,
  );
  return {
    ...f,
    firstMeetingAt: f.firstMeetingAt === null ? null : iso(new Date(f.firstMeetingAt)),
  };
}

/** The organisation's networks with their dashboard figures at `now` (one query). */
export async function listNetworkSummaries(
  db: Db,
  organisationId: string,
  now: number,
): Promise<NetworkSummary[]> {
  const rows = await networkSummaryRows(db, organisationId);
  return rows.map(({ network: n, coreTeam, memberCount, meetings }) => ({
    id: n.id,
    label: n.label,
    firstContactAt: n.firstContactAt.toISOString(),
    createdAt: n.createdAt.toISOString(),
    coreTeam: coreTeam.map(toCoreTeamMember),
    memberCount,
    figures: figuresOf(n, meetings, now),
    closedAt: iso(n.closedAt),
  }));
}

/** One network of the organisation in full, or null (also for another organisation's). */
export async function loadNetworkDetail(
  db: Db,
  organisationId: string,
  networkId: string,
  now: number,
): Promise<NetworkDetail | null> {
  const network = await findNetwork(db, organisationId, networkId);
  if (!network) return null;
  const [team, members, meetings, attendance] = await Promise.all([
    coreTeams(db, [network.id]),
    membersOf(db, network.id),
    meetingsOf(db, [network.id]),
    coreTeamAttendance(db, [network.id]),
  ]);
  return {
    id: network.id,
    label: network.label,
    firstContactAt: network.firstContactAt.toISOString(),
    createdAt: network.createdAt.toISOString(),
    coreTeam: team.map(toCoreTeamMember),
    members: members.map(toNetworkMember),
    meetings: meetings.map((m) => toMeetingSummary(m, network.label)),
    figures: figuresOf(
      network,
      meetings.map((m) => ({
        startedAt: m.startedAt,
        coreTeamAttendees: attendeesOf(m, attendance),
      })),
      now,
    ),
    closedAt: iso(network.closedAt),
    membersPurgedAt: iso(network.membersPurgedAt),
  };
}
