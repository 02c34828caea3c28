import { describe, expect, it } from 'vitest';
import { decodeRoomEvent, encodeClientMessage, parseServerMessage } from './live-messages.ts';

const me = {
  participantId: 'p1',
  displayName: 'Aino',
  role: 'centre',
  language: null,
  companions: ['Mum'],
  mediaIdentity: 'p1.1',
  connection: 'connected',
  lostAt: null,
};
const snapshot = {
  type: 'snapshot',
  seq: 3,
  meeting: { id: 'm1', mode: 'dialogue', state: 'live', encrypted: true },
  me,
  participants: [me],
  media: { url: 'ws://127.0.0.1:7880', token: 't', identity: 'p1' },
};

describe('parseServerMessage', () => {
  it.each([
    ['a snapshot', snapshot],
    ['a snapshot without media (lobby)', { ...snapshot, media: null }],
    [
      'an event',
      {
        type: 'event',
        seq: 4,
        at: '2026-01-01T00:00:00Z',
        event: { type: 'hand.raised', participantId: 'p2', actorParticipantId: 'p2' },
      },
    ],
  ])('accepts %s', (_name, message) => {
    expect(parseServerMessage(JSON.stringify(message))).toEqual(message);
  });

  it.each([
    ['not JSON', '{nope'],
    ['a non-string frame', new ArrayBuffer(4)],
    ['an unknown type', JSON.stringify({ type: 'hello' })],
    [
      'an event of no known type',
      JSON.stringify({ type: 'event', seq: 4, at: 'x', event: { type: 'x', a: 1 } }),
    ],
    ['a negative seq', JSON.stringify({ ...snapshot, seq: -1 })],
    ['a fractional seq', JSON.stringify({ ...snapshot, seq: 1.5 })],
    [
      'an unknown mode',
      JSON.stringify({ ...snapshot, meeting: { id: 'm1', mode: 'party', state: 'live' } }),
    ],
    ['an unknown role', JSON.stringify({ ...snapshot, me: { ...me, role: 'patient' } })],
    [
      'media on its own',
      JSON.stringify({ type: 'media', media: { url: 'x', token: 't', identity: 'p1' } }),
    ],
    [
      'an event with seq 0',
      JSON.stringify({ type: 'event', seq: 0, at: 'x', event: { type: 'x' } }),
    ],
    ['null', 'null'],
  ])('rejects %s', (_name, data) => {
    expect(parseServerMessage(data)).toBeNull();
  });
});

describe('decodeRoomEvent, after the frame passed its check', () => {
  const understood = (event: Record<string, unknown>) => {
    const frame = parseServerMessage(
      JSON.stringify({ type: 'event', seq: 1, at: '2026-01-01T00:00:00Z', event }),
    );
    return frame?.type === 'event' && decodeRoomEvent(frame.event) !== null;
  };
  it.each([
    [{ type: 'mode.changed', mode: 'reflecting', by: 'p1', respondOrder: [] }, true],
    [{ type: 'mode.changed', mode: 'silence', by: 'p1', respondOrder: [] }, false],
    [{ type: 'mode.changed', mode: 'reflecting' }, false],
    [{ type: 'mode.changed', mode: 'dialogue', by: 'p1', respondOrder: ['p2'] }, true],
    [
      { type: 'participant.admitted', participantId: 'p2', admissionNumber: 1, basis: 'two_keys' },
      false,
    ],
    [
      {
        type: 'companions.changed',
        participantId: 'p2',
        companions: [{ name: 'Mum', agreed: false }],
        added: ['Mum'],
        removed: [],
      },
      true,
    ],
    [{ type: 'companions.changed', participantId: 'p2' }, false],
    [{ type: 'hand.raised', participantId: 'p2' }, true],
    [{ type: 'meeting.ended', by: 'p1' }, true],
    [{ type: 'participant.left', participantId: 'p2', reason: 'left' }, true],
    [{ type: 'participant.left', participantId: 'p2', reason: 'bored' }, false],
    [{ type: 'participant.removed', participantId: 'p2', by: 'p1', admissionNumber: 1 }, true],
    [{ type: 'record.added', entryId: 'e', kind: 'decision', text: 'x', by: 'p1' }, false],
    [{ type: 'weather.changed' }, false],
  ])('%j understood: %s', (event, expected) => {
    expect(understood(event)).toBe(expected);
  });
});

describe('encodeClientMessage', () => {
  it('encodes a ping', () => {
    expect(encodeClientMessage({ type: 'ping' })).toBe('{"type":"ping"}');
  });
});
