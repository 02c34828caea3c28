import { describe, expect, it } from 'vitest';
import { formatAgo, shownConnection } from './connection-status.ts';

describe('shownConnection', () => {
  it('shows the server’s word, and reconnecting where this page hears nothing from them', () => {
    const table = [
      ['connecting', undefined, 'connecting'],
      ['connecting', true, 'connecting'],
      ['lost', false, 'lost'],
      ['lost', true, 'lost'],
      ['connected', undefined, 'connected'],
      ['connected', false, 'connected'],
      ['connected', true, 'reconnecting'],
    ] as const;
    for (const [connection, lost, shown] of table) {
      const remote = lost === undefined ? undefined : { connectionLost: lost };
      expect(shownConnection({ connection }, remote), `${connection}/${lost}`).toBe(shown);
    }
  });
});

describe('formatAgo', () => {
  it.each([
    [-5, '0:00'],
    [999, '0:00'],
    [42_000, '0:42'],
    [725_000, '12:05'],
    [3_723_000, '1:02:03'],
  ])('%d ms → %s', (ms, text) => {
    expect(formatAgo(ms)).toBe(text);
  });
});
