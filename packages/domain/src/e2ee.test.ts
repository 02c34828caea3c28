import { describe, expect, it } from 'vitest';
import {
  keyHoldersVisibleTo,
  keyResendRequest,
  mayPostDeviceKey,
  wrappedKeyRecipients,
} from './e2ee.ts';
import type { MeetingState } from './meeting-state.ts';
import { fullRoom, knock, run, who } from './testing/meeting-fixture.ts';

const room = fullRoom();
/** The network member asked to leave (back in the lobby), the observer left for good. */
const after = run(
  [
    { type: 'remove', actorId: 'f', targetId: 'n' },
    { type: 'leave', actorId: 'o' },
  ],
  room,
);
/** The network member let in again: a second admission. */
const again = run(
  [
    knock('n'),
    { type: 'admit', actorId: 'f', targetId: 'n' },
    { type: 'consent', actorId: 'z', targetId: 'n' },
  ],
  after,
);

const device = (state: MeetingState, id: string) =>
  state.participants.some((p) => p.id === id) ? who(state, id).device : null;

describe('mayPostDeviceKey', () => {
  it.each([
    ['the seated device, its current admission', room.state, 'n', 1, true],
    ['staff (no device), current admission', room.state, 'f', 1, true],
    ['a later admission number', room.state, 'n', 2, false],
    ['an earlier admission after a second admission', again.state, 'n', 1, false],
    ['the second admission', again.state, 'n', 2, true],
    ['someone asked to leave', after.state, 'n', 1, false],
    ['someone who left', after.state, 'o', 1, false],
    ['someone unknown', room.state, 'nobody', 1, false],
  ] as const)('%s', (_what, state, id, admission, allowed) => {
    expect(mayPostDeviceKey(state, id, device(state, id), admission)).toBe(allowed);
  });

  it('refuses another device of the same person', () => {
    expect(mayPostDeviceKey(room.state, 'n', 'another-device', 1)).toBe(false);
  });

  it('refuses everyone before the first admission', () => {
    const waiting = run([knock('o')], run([], room));
    expect(mayPostDeviceKey(waiting.state, 'o', device(waiting.state, 'o'), 0)).toBe(false);
  });
});

describe('keyHoldersVisibleTo', () => {
  it('shows the seated device everyone admitted now, itself included', () => {
    expect(keyHoldersVisibleTo(room.state, 'n', device(room.state, 'n'))).toEqual({
      me: 'n.1',
      holders: ['f.1', 'c.1', 't.1', 'z.1', 'n.1', 'o.1'],
    });
  });

  it('drops those who left and shows a new admission under its new identity', () => {
    expect(keyHoldersVisibleTo(after.state, 'f', null)?.holders).toEqual([
      'f.1',
      'c.1',
      't.1',
      'z.1',
    ]);
    expect(keyHoldersVisibleTo(again.state, 'f', null)?.holders).toEqual([
      'f.1',
      'c.1',
      't.1',
      'z.1',
      'n.2',
    ]);
  });

  it.each([
    ['asked to leave', after.state, 'n'],
    ['left', after.state, 'o'],
    ['unknown', room.state, 'x'],
  ] as const)('shows nothing to someone %s', (_what, state, id) => {
    expect(keyHoldersVisibleTo(state, id, null)).toBeNull();
  });

  it('shows nothing to another device of a seated person', () => {
    expect(keyHoldersVisibleTo(room.state, 'n', 'another-device')).toBeNull();
  });
});

describe('wrappedKeyRecipients', () => {
  it('keeps only the identities admitted now, never the sender, once each', () => {
    expect(
      wrappedKeyRecipients(again.state, 'f', null, [
        'c.1',
        'f.1',
        'n.1',
        'n.2',
        'o.1',
        'stranger.1',
        'not-an-identity',
        'c.1',
      ]),
    ).toEqual({ sender: 'f.1', allowed: ['c.1', 'n.2'] });
  });

  it('refuses a sender without a seat', () => {
    expect(wrappedKeyRecipients(after.state, 'n', device(after.state, 'n'), ['f.1'])).toBeNull();
    expect(wrappedKeyRecipients(room.state, 'n', 'another-device', ['f.1'])).toBeNull();
  });
});

describe('keyResendRequest', () => {
  it.each([
    [
      'a seated device of someone admitted now',
      again.state,
      'n',
      2,
      'f.1',
      { requester: 'n.2', sender: 'f.1' },
    ],
    ['staff, of a guest', room.state, 'f', 1, 'n.1', { requester: 'f.1', sender: 'n.1' }],
    ['an old admission of the requester', again.state, 'n', 1, 'f.1', null],
    ['of oneself', room.state, 'n', 1, 'n.1', null],
    ['of an earlier admission of a member', again.state, 'f', 1, 'n.1', null],
    ['of someone asked to leave', after.state, 'f', 1, 'n.1', null],
    ['of someone who left', after.state, 'f', 1, 'o.1', null],
    ['of a stranger', room.state, 'f', 1, 'stranger.1', null],
    ['by someone asked to leave', after.state, 'n', 1, 'f.1', null],
  ] as const)('%s', (_what, state, id, admission, from, expected) => {
    expect(keyResendRequest(state, id, device(state, id), admission, from)).toEqual(expected);
  });

  it('refuses another device of a seated person', () => {
    expect(keyResendRequest(room.state, 'n', 'another-device', 1, 'f.1')).toBeNull();
  });
});
