import type { MeetingRole } from './roles.ts';

/**
 * Whose voice each role's speaking time counts as: the reflecting team's, the network's (the
 * centre person included; an observer never speaks, but would count there), or the interpreter's
 * own line: they voice others' words in another language, so they are neither side (product.md
 * section 2).
 */
export const VOICE_LINE = {
  facilitator: 'team',
  cofacilitator: 'team',
  team: 'team',
  centre: 'network',
  network: 'network',
  observer: 'network',
  interpreter: 'interpreter',
} as const satisfies Record<MeetingRole, 'team' | 'network' | 'interpreter'>;

/**
 * Whose silence "not yet heard" points out: everyone who speaks for themselves. Not an observer
 * (who never speaks) nor an interpreter (whose voice is others' words).
 */
export const ASKED_IF_HEARD = {
  facilitator: true,
  cofacilitator: true,
  team: true,
  centre: true,
  network: true,
  observer: false,
  interpreter: false,
} as const satisfies Record<MeetingRole, boolean>;

/** One change of who is speaking, as LiveKit's active-speaker event reports it. */
export interface SpeakerChange {
  /** Milliseconds (any clock, the same for every change). */
  readonly at: number;
  /** Participant ids speaking from `at` until the next change. */
  readonly speakers: readonly string[];
}

export interface VoicePerson {
  readonly participantId: string;
  readonly role: MeetingRole;
}

export interface VoiceShare {
  readonly participantId: string;
  readonly speakingMs: number;
  /** Share of all speaking time, 0..1 (0 when nobody has spoken). */
  readonly share: number;
}

export interface VoicesView {
  readonly people: readonly VoiceShare[];
  /**
   * Shares of all speaking time, 0..1 each, adding up to 1 once anyone spoke: the centre person
   * and the network, the reflecting team, and interpreters (their own line).
   */
  readonly networkShare: number;
  readonly teamShare: number;
  readonly interpreterShare: number;
  /** People asked about (`ASKED_IF_HEARD`) who have not been heard yet, in roster order. */
  readonly notYetHeard: readonly string[];
}

/**
 * The voices view (product.md section 5): who has been heard and how much, from active-speaker
 * changes. Computed in the facilitator's browser and never stored. Each interval between two
 * changes counts for everyone speaking in it; the last interval runs until `now`. Changes out of
 * time order or for people not on the roster are ignored rather than trusted.
 */
export function voicesView(
  people: readonly VoicePerson[],
  changes: readonly SpeakerChange[],
  now: number,
): VoicesView {
  const tally = people.map((person) => ({ person, ms: 0 }));
  const byId = new Map(tally.map((t) => [t.person.participantId, t]));
  let last: SpeakerChange | null = null;
  for (const change of changes) {
    if (last && change.at < last.at) continue;
    if (last) credit(byId, last.speakers, change.at - last.at);
    last = change;
  }
  if (last && now > last.at) credit(byId, last.speakers, now - last.at);

  const total = tally.reduce((sum, t) => sum + t.ms, 0);
  const shareOf = (v: number): number => (total === 0 ? 0 : v / total);
  const lineMs = (line: 'team' | 'network' | 'interpreter'): number =>
    tally.filter((t) => VOICE_LINE[t.person.role] === line).reduce((s, t) => s + t.ms, 0);
  return {
    people: tally.map((t) => ({
      participantId: t.person.participantId,
      speakingMs: t.ms,
      share: shareOf(t.ms),
    })),
    networkShare: shareOf(lineMs('network')),
    teamShare: shareOf(lineMs('team')),
    interpreterShare: shareOf(lineMs('interpreter')),
    notYetHeard: tally
      .filter((t) => ASKED_IF_HEARD[t.person.role] && t.ms === 0)
      .map((t) => t.person.participantId),
  };
}

function credit(
  byId: Map<string, { ms: number }>,
  speakers: readonly string[],
  duration: number,
): void {
  for (const id of new Set(speakers)) {
    const entry = byId.get(id);
    if (entry) entry.ms += duration;
  }
}
