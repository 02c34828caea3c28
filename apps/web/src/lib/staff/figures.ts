import type { NetworkFigures } from '@polyphony/protocol';

/** A whole number of minutes as hours and minutes (`27 h 5 min`), rounded down, never negative. */
export function durationParts(totalMinutes: number): { hours: number; minutes: number } {
  const whole = Math.max(0, Math.floor(totalMinutes));
  return { hours: Math.floor(whole / 60), minutes: whole % 60 };
}

/**
 * Where a network stands on the 24-hour goal, as the dashboard words it: `met`/`missed` with
 * the time it took to the first meeting, or `waiting`/`overdue` with the time since first
 * contact (the clock is still running).
 */
export type ImmediateHelpView =
  | { readonly kind: 'first_meeting'; readonly minutes: number; readonly flagged: boolean }
  | { readonly kind: 'no_meeting_yet'; readonly minutes: number; readonly flagged: boolean };

export function immediateHelpView(
  figures: NetworkFigures,
  firstContactAt: string,
  now: number,
): ImmediateHelpView {
  if (figures.minutesToFirstMeeting !== null) {
    return {
      kind: 'first_meeting',
      minutes: figures.minutesToFirstMeeting,
      flagged: figures.flagged,
    };
  }
  const since = Math.floor((now - Date.parse(firstContactAt)) / 60_000);
  return { kind: 'no_meeting_yet', minutes: Math.max(0, since), flagged: figures.flagged };
}

/** Continuity as a whole percentage (share of held meetings with ≥ 2 core-team members). */
export function continuityPercent(figures: NetworkFigures): number | null {
  return figures.continuity === null ? null : Math.round(figures.continuity * 100);
}
