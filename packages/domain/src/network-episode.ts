// A network over its care episode: who was its core team when, and when an episode that a
// team closed lets its members' personal data go. Times in epoch milliseconds, passed in.

/** One stretch of a staff member's time on a network's core team (`until` null: still on it). */
export interface CoreTeamPeriod {
  readonly staffId: string;
  readonly from: number;
  readonly until: number | null;
}

/** Whether the period covers the moment `at` (from its start, up to but not at its end). */
export function coversMoment(period: CoreTeamPeriod, at: number): boolean {
  return period.from <= at && (period.until === null || at < period.until);
}

/** The core team at a moment: everyone with a period covering it. */
export function coreTeamAt(periods: readonly CoreTeamPeriod[], at: number): Set<string> {
  return new Set(periods.filter((p) => coversMoment(p, at)).map((p) => p.staffId));
}

/**
 * How many distinct core-team members a meeting had, for the continuity figure: the staff
 * admitted to it who were on the core team when it started. Later edits of the core team never
 * change an earlier meeting's count; a meeting that never started had none.
 */
export function coreTeamAttendeesAt(
  periods: readonly CoreTeamPeriod[],
  admittedStaffIds: Iterable<string>,
  startedAt: number | null,
): number {
  if (startedAt === null) return 0;
  const team = coreTeamAt(periods, startedAt);
  return new Set([...admittedStaffIds].filter((id) => team.has(id))).size;
}

/**
 * What setting the core team to `staffIds` changes: members who leave have their open period
 * closed, newcomers get one opened, those who stay keep theirs. Closed periods are history and
 * never change.
 */
export function editCoreTeam(
  periods: readonly CoreTeamPeriod[],
  staffIds: readonly string[],
): { readonly close: readonly string[]; readonly open: readonly string[] } {
  const current = new Set(periods.filter((p) => p.until === null).map((p) => p.staffId));
  const wanted = new Set(staffIds);
  return {
    close: [...current].filter((id) => !wanted.has(id)),
    open: [...wanted].filter((id) => !current.has(id)),
  };
}

/** Whether a core team may be set: at least one person (someone answers for the episode). */
export function coreTeamRefusal(staffIds: readonly string[]): 'core_team_empty' | null {
  return staffIds.length === 0 ? 'core_team_empty' : null;
}

/** What the episode rule needs to know about a network. */
export interface EpisodeFacts {
  /** When the team closed the care episode; null while it is open. */
  readonly closedAt: number | null;
  /** When its members' personal data was purged; null before. */
  readonly membersPurgedAt: number | null;
  /**
   * The latest expiry among the links of its members that are not revoked; null when none.
   * Members read a meeting's record through their link until it expires.
   */
  readonly memberLinksUsableUntil: number | null;
}

/** What a closed episode refuses: new members, member changes, new meetings, core-team edits. */
export function episodeIsOpen(facts: Pick<EpisodeFacts, 'closedAt'>): boolean {
  return facts.closedAt === null;
}

/**
 * Whether the members' personal data (names, relationships, pre-approvals, their links) is due
 * for the scheduled purge: `retentionMs` after the episode closed, like a meeting's, and never
 * while one of their links still works. Never for an open episode; never twice.
 */
export function isEpisodeDueForPurge(facts: EpisodeFacts, now: number, retentionMs: number) {
  if (facts.closedAt === null || facts.membersPurgedAt !== null) return false;
  const due = Math.max(facts.closedAt + retentionMs, facts.memberLinksUsableUntil ?? -Infinity);
  return now >= due;
}
