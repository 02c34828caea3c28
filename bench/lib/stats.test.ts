import { describe, expect, it } from 'vitest';
import { percentile, summarise } from './stats.ts';

describe('bench statistics', () => {
  it.each([
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.5, 5],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.95, 10],
    [[7], 0.5, 7],
    [[3, 1, 2], 0.5, 2],
    [Array.from({ length: 200 }, (_, i) => i + 1), 0.99, 198],
  ])('percentile of %j at %d is %d', (samples, q, expected) => {
    expect(
      percentile(
        [...samples].sort((a, b) => a - b),
        q,
      ),
    ).toBe(expected);
  });

  it('summarises p50, p95, p99, max and mean', () => {
    const s = summarise(Array.from({ length: 20 }, (_, i) => 20 - i));
    expect(s).toEqual({ n: 20, p50: 10, p95: 19, p99: 20, max: 20, mean: 10.5 });
  });

  it('an empty run has no percentiles', () => {
    expect(Number.isNaN(summarise([]).p50)).toBe(true);
  });
});
