import { describe, expect, it } from 'vitest';
import { liveUrl } from './live-url.ts';

describe('liveUrl', () => {
  it.each([
    ['http:', 'localhost:3000', 'm1', null, 'ws://localhost:3000/api/meetings/m1/live'],
    ['https:', 'meet.example', 'm1', null, 'wss://meet.example/api/meetings/m1/live'],
    ['https:', 'meet.example', 'm1', 0, 'wss://meet.example/api/meetings/m1/live?since=0'],
    [
      'http:',
      '127.0.0.1:3999',
      'm 2/x',
      17,
      'ws://127.0.0.1:3999/api/meetings/m%202%2Fx/live?since=17',
    ],
  ])('%s//%s meeting %s since %s', (protocol, host, id, since, expected) => {
    expect(liveUrl({ protocol, host }, id, since)).toBe(expected);
  });
});
