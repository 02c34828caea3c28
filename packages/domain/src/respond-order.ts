import type { SpeakerChange } from './voices.ts';

/**
 * How long someone must have been heard since the return to dialogue, in total, to count as
 * having responded: long enough that a cough or a "yes" does not clear their place.
 */
export const RESPONDED_AFTER_MS = 3000;

/** One person in the list of who asked to respond, first asked first. */
export interface RespondTurn {
  readonly participantId: string;
  /** They have been heard for at least {@link RESPONDED_AFTER_MS} since `since`. */
  readonly answered: boolean;
}

/**
 * "Asked to respond" clears once answered (product.md section 3): who asked during the last
 * reflection, each marked answered once they have spoken since the return to dialogue. From
 * active-speaker changes (as the voices view), clipped to `since`; the last change runs until
 * `now`. Changes out of time order are ignored. Computed in the browser; nothing is stored.
 */
export function respondTurns(
  order: readonly string[],
  changes: readonly SpeakerChange[],
  since: number,
  now: number,
): RespondTurn[] {
  const heard = new Map<string, number>();
  const credit = (speakers: readonly string[], from: number, to: number): void => {
    const ms = to - Math.max(from, since);
    if (ms <= 0) return;
    for (const id of new Set(speakers)) heard.set(id, (heard.get(id) ?? 0) + ms);
  };
  let last: SpeakerChange | null = null;
  for (const change of changes) {
    if (last && change.at < last.at) continue;
    if (last) credit(last.speakers, last.at, change.at);
    last = change;
  }
  if (last) credit(last.speakers, last.at, now);
  return order.map((participantId) => ({
    participantId,
    answered: (heard.get(participantId) ?? 0) >= RESPONDED_AFTER_MS,
  }));
}
