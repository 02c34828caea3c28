import { CLOSE_CODES } from '@polyphony/protocol';
import { describe, expect, it } from 'vitest';
import { closeAction, type CloseAction } from './close-codes.ts';

describe('closeAction', () => {
  it.each<[number, CloseAction]>([
    [CLOSE_CODES.UNAUTHENTICATED, 'not_in_meeting'],
    [CLOSE_CODES.FORBIDDEN, 'not_in_meeting'],
    [CLOSE_CODES.NOT_FOUND, 'not_in_meeting'],
    [CLOSE_CODES.MOVED, 'moved'],
    [CLOSE_CODES.TOO_LARGE, 'fatal'],
    [CLOSE_CODES.RATE_LIMITED, 'retry_slowly'],
    [CLOSE_CODES.TRY_AGAIN_LATER, 'retry'],
    [CLOSE_CODES.GO_ELSEWHERE, 'reconnect_now'],
    [1012, 'reconnect_now'],
    [CLOSE_CODES.BAD_MESSAGE, 'retry'],
    [1000, 'retry'],
    [1001, 'retry'],
    [1006, 'retry'],
    [1011, 'retry'],
  ])('code %i → %s', (code, action) => {
    expect(closeAction(code)).toBe(action);
  });
});
