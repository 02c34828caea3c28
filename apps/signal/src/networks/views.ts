import {
  attendeesOf,
  coreTeamAttendance,
  coreTeams,
  listNetworkRows,
  meetingsOf,
  memberCounts,
  membersOf,
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

function toCoreTeamMember(c: CoreTeamEntry): CoreTeamMember {
  return { staffId: c.staffId, displayName: c.displayName, role: c.role };
}

function figuresOf(
  network: NetworkRow,
  meetings: readonly MeetingRecord[],
  attendance: ReadonlyMap<string, number>,
  now: number,
): NetworkFigures {
  const f = networkFigures(
    {
      firstContactAt: network.firstContactAt.getTime(),
      meetings: meetings.map((m) => ({
        startedAt: m.startedAt?.getTime() ?? null,
        coreTeamAttendees: attendeesOf(m, attendance),
      })),
    },
    now,
  );
  return {
    ...f,
    firstMeetingAt: f.firstMeetingAt === null ? null : iso(new Date(f.firstMeetingAt)),
  };
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}

/** The organisation's networks with their dashboard figures at `now`. */
export async function listNetworkSummaries(
  db: Db,
  organisationId: string,
  now: number,
): Promise<NetworkSummary[]> {
  const networks = await listNetworkRows(db, organisationId);
  const ids = networks.map((n) => n.id);
  const [teams, counts, meetings, attendance] = await Promise.all([
    coreTeams(db, ids),
    memberCounts(db, ids),
    meetingsOf(db, ids),
    coreTeamAttendance(db, ids),
  ]);
  const teamsBy = groupBy(teams, (t) => t.networkId);
  const meetingsBy = groupBy(meetings, (m) => m.networkId);
  return networks.map((n) => ({
    id: n.id,
    label: n.label,
    firstContactAt: n.firstContactAt.toISOString(),
    createdAt: n.createdAt.toISOString(),
    coreTeam: (teamsBy.get(n.id) ?? []).map(toCoreTeamMember),
    memberCount: counts.get(n.id) ?? 0,
    figures: figuresOf(n, meetingsBy.get(n.id) ?? [], attendance, now),
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
    figures: figuresOf(network, meetings, attendance, now),
    closedAt: iso(network.closedAt),
    membersPurgedAt: iso(network.membersPurgedAt),
  };
}
