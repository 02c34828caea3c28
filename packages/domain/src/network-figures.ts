/** Open Dialogue's immediate-help goal: the first meeting within 24 hours of first contact. */
export const IMMEDIATE_HELP_LIMIT_MS = 24 * 60 * 60 * 1000;

/**
 * How a network stands against that goal: `within_24h`, `after_24h` (missed), `waiting` (no
 * meeting yet, still inside 24 h) or `overdue` (no meeting yet and the 24 h have passed).
 */
export const IMMEDIATE_HELP = ['within_24h', 'after_24h', 'waiting', 'overdue'] as const;
export type ImmediateHelp = (typeof IMMEDIATE_HELP)[number];

const FLAGGED = {
  within_24h: false,
  after_24h: true,
  waiting: false,
  overdue: true,
} as const satisfies Record<ImmediateHelp, boolean>;

/** One meeting of the network, as far as the figures care (times in epoch milliseconds). */
export interface MeetingFacts {
  /** When it started; null if it has not (scheduled, or never held). */
  readonly startedAt: number | null;
  /** How many distinct core-team staff were admitted to it. */
  readonly coreTeamAttendees: number;
}

export interface NetworkFacts {
  readonly firstContactAt: number;
  readonly meetings: readonly MeetingFacts[];
}

export interface NetworkFiguresValue {
  readonly firstMeetingAt: number | null;
  readonly minutesToFirstMeeting: number | null;
  readonly immediateHelp: ImmediateHelp;
  readonly flagged: boolean;
  readonly meetingsHeld: number;
  readonly meetingsWithTwoCoreTeam: number;
  /** Share of held meetings with two or more core-team members; null before any is held. */
  readonly continuity: number | null;
}

/**
 * Whether a meeting was held: it started and at least one core-team member was in it. An
 * immediate meeting nobody came to (it ends itself when idle) was never held.
 */
export function wasHeld(m: MeetingFacts): m is MeetingFacts & { startedAt: number } {
  return m.startedAt !== null && m.coreTeamAttendees >= 1;
}

/**
 * The dashboard figures of one network (product.md section 6), with the clock passed in.
 * Only meetings that were held count ({@link wasHeld}). Continuity follows the fidelity element
 * "two or more therapists": a held meeting counts when at least two core-team members were
 * admitted.
 */
export function networkFigures(facts: NetworkFacts, now: number): NetworkFiguresValue {
  const held = facts.meetings.filter(wasHeld);
  const firstMeetingAt = held.length === 0 ? null : Math.min(...held.map((m) => m.startedAt));
  const immediateHelp = immediateHelpOf(facts.firstContactAt, firstMeetingAt, now);
  const withTwo = held.filter((m) => m.coreTeamAttendees >= 2).length;
  return {
    firstMeetingAt,
    minutesToFirstMeeting:
      firstMeetingAt === null ? null : Math.round((firstMeetingAt - facts.firstContactAt) / 60_000),
    immediateHelp,
    flagged: FLAGGED[immediateHelp],
    meetingsHeld: held.length,
    meetingsWithTwoCoreTeam: withTwo,
    continuity: held.length === 0 ? null : withTwo / held.length,
  };
}

function immediateHelpOf(
  firstContactAt: number,
  firstMeetingAt: number | null,
  now: number,
): ImmediateHelp {
  if (firstMeetingAt === null) {
    return now - firstContactAt > IMMEDIATE_HELP_LIMIT_MS ? 'overdue' : 'waiting';
  }
  return firstMeetingAt - firstContactAt > IMMEDIATE_HELP_LIMIT_MS ? 'after_24h' : 'within_24h';
}
