import { isReflectingTeam, type MeetingRole } from './roles.ts';

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
  /** Speaking time of the centre person and the network versus the reflecting team, 0..1 each. */
  readonly networkShare: number;
  readonly teamShare: number;
  /** People who may speak and have not been heard yet, in roster order. Observers never speak. */
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
  const team = tally.filter((t) => isReflectingTeam(t.person.role)).reduce((s, t) => s + t.ms, 0);
  return {
    people: tally.map((t) => ({
      participantId: t.person.participantId,
      speakingMs: t.ms,
      share: shareOf(t.ms),
    })),
    networkShare: shareOf(total - team),
    teamShare: shareOf(team),
    notYetHeard: tally
      .filter((t) => t.person.role !== 'observer' && t.ms === 0)
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
