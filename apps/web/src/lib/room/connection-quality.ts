/**
 * A connection's quality as LiveKit measures it (its `ConnectionQuality` values, read as plain
 * strings so this module needs no livekit-client): `unknown` until measured.
 */
export const QUALITIES = ['excellent', 'good', 'poor', 'lost', 'unknown'] as const;
export type Quality = (typeof QUALITIES)[number];

/** Reads LiveKit's value; anything this version does not know is `unknown`, never "good". */
export function qualityOf(value: string | undefined): Quality {
  return (QUALITIES as readonly string[]).includes(value ?? '') ? (value as Quality) : 'unknown';
}

/** Bars of the icon (0 of 3 when lost or not measured yet). */
export const QUALITY_BARS = {
  excellent: 3,
  good: 2,
  poor: 1,
  lost: 0,
  unknown: 0,
} as const satisfies Record<Quality, number>;

/** Whether this quality hurts the call: video freezes, sound breaks up. */
export function isWeak(quality: Quality): boolean {
  return quality === 'poor' || quality === 'lost';
}

/** How long one's own connection stays weak before the room proposes audio only. */
export const WEAK_FOR_MS = 10_000;

/**
 * What the room knows about one's own weak connection: since when it has been weak (null while
 * it is not), whether "audio only" is proposed now, and whether the person said "not now" to
 * this stretch of weakness.
 */
export interface WeakWatch {
  readonly weakSince: number | null;
  readonly propose: boolean;
  readonly declined: boolean;
}

export const CALM: WeakWatch = { weakSince: null, propose: false, declined: false };

/**
 * The next watch after a quality reading at `now` (a reading may repeat the last quality: the
 * room re-reads it when the wait is over). Audio only is proposed once the connection has been
 * weak for {@link WEAK_FOR_MS} without a break, unless the person already has it or declined;
 * a recovery forgets the stretch, the proposal and the "not now".
 */
export function watchQuality(
  watch: WeakWatch,
  quality: Quality,
  now: number,
  audioOnly: boolean,
): WeakWatch {
  if (!isWeak(quality)) return CALM;
  const weakSince = watch.weakSince ?? now;
  const propose = !audioOnly && !watch.declined && now - weakSince >= WEAK_FOR_MS;
  return { weakSince, propose, declined: watch.declined };
}

/** The person said "not now": no proposal until the connection has recovered and weakened again. */
export function declineAudioOnly(watch: WeakWatch): WeakWatch {
  return { ...watch, propose: false, declined: true };
}

/** When to read the quality again to propose in time (null: no proposal is pending). */
export function nextReadingAt(watch: WeakWatch, audioOnly: boolean): number | null {
  if (watch.weakSince === null || watch.propose || watch.declined || audioOnly) return null;
  return watch.weakSince + WEAK_FOR_MS;
}
