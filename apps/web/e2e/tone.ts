import type { Page } from 'playwright-core';
import { sleep } from './meeting-pages.ts';

/**
 * The peak at each of `hzs` above the spectrum's median (dB) in the sound the page plays for `identity`,
 * the highest of several readings over about a second (AnalyserNode, smoothing off); null when
 * the page plays nothing for them. Encrypted frames a page cannot decrypt are dropped: no peak.
 */
export async function tonePeaks(
  page: Page,
  identity: string,
  hzs: readonly number[],
): Promise<number[] | null> {
  return page.evaluate(
    async ({ identity, hzs }) => {
      const element = document.querySelector<HTMLAudioElement>(
        `audio[data-testid="remote-audio"][data-identity="${identity}"]`,
      );
      const stream = element?.srcObject;
      if (!(stream instanceof MediaStream) || stream.getAudioTracks().length === 0) return null;
      const w = window as unknown as { __toneContext?: AudioContext };
      const context = (w.__toneContext ??= new AudioContext());
      await context.resume();
      const source = context.createMediaStreamSource(stream);
      const analyser = context.createAnalyser();
      analyser.fftSize = 4096;
      analyser.smoothingTimeConstant = 0;
      source.connect(analyser);
      const bins = new Float32Array(analyser.frequencyBinCount);
      const bin = (hz: number) => Math.round(hz / (context.sampleRate / analyser.fftSize));
      const best = hzs.map(() => -Infinity);
      for (let i = 0; i < 8; i++) {
        await new Promise((r) => setTimeout(r, 100));
        analyser.getFloatFrequencyData(bins);
        const finite = [...bins].map((v) => (Number.isFinite(v) ? v : -200));
        const sorted = [...finite].sort((a, b) => a - b);
        const median = sorted[Math.floor(sorted.length / 2)]!;
        for (const [k, hz] of hzs.entries()) {
          const at = bin(hz);
          const peak = Math.max(...finite.slice(at - 2, at + 3));
          best[k] = Math.max(best[k]!, peak - median);
        }
      }
      source.disconnect();
      return best;
    },
    { identity, hzs: [...hzs] },
  );
}

/** A peak this far above the median is a tone heard. */
export const HEARD_DB = 30;

/** A tone heard stands this far above the others listed (another speaker's frequency). */
export const APART_DB = 20;

/**
 * Whether `listener` hears `identity`'s tone at `hz` within `ms`: decrypted, a clear peak, and
 * (when `others` lists other speakers' frequencies) well above the sound at those.
 */
export async function hears(
  listener: Page,
  identity: string,
  hz: number,
  ms = 30_000,
  others: readonly number[] = [],
) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const peaks = await tonePeaks(listener, identity, [hz, ...others]);
    const [peak, ...rest] = peaks ?? [];
    if (peak !== undefined && peak > HEARD_DB && rest.every((r) => peak - r > APART_DB))
      return true;
    await sleep(200);
  }
  return false;
}
