import { describe, expect, it } from 'vitest';
import { MEETING_EVENT_TYPES } from '@polyphony/domain';
import { toWireEvent, type LiveEvent } from '@polyphony/protocol';
import { EVENT_SAMPLES } from '@polyphony/domain/testing/events';
import { describeEvent } from './describe-event.ts';
import { timelineItem, type TimelineFacts } from './timeline-events.ts';

const NAMES = new Map([
  ['lee', 'Dr Lee'],
  ['dad', 'Dad'],
  ['sam', 'Sam'],
]);
const nameOf = (id: string | undefined) => (id && NAMES.get(id)) || 'Someone';

const facts = (event: Record<string, unknown>): TimelineFacts => {
  const item = timelineItem({
    type: 'event',
    seq: 1,
    at: '2026-01-01T10:00:00.000Z',
    event,
  } as LiveEvent);
  if (!item) throw new Error(`not a timeline event: ${JSON.stringify(event)}`);
  return item.facts;
};

describe('describeEvent', () => {
  it.each([
    [
      { type: 'mode.changed', mode: 'reflecting', by: 'lee', respondOrder: [] },
      'Dr Lee started a reflection',
    ],
    [
      { type: 'mode.changed', mode: 'dialogue', by: 'lee', respondOrder: [] },
      'Dr Lee returned to dialogue',
    ],
    [
      { type: 'participant.joined_lobby', participantId: 'dad', companions: [] },
      'Dad is waiting to come in',
    ],
    [
      { type: 'participant.admitted', participantId: 'dad', admissionNumber: 1, basis: 'two_keys' },
      'Dad came in',
    ],
    [
      { type: 'consent.given', participantId: 'dad', by: 'sam', kind: 'live', companions: [] },
      'Sam agreed to Dad being here',
    ],
    [
      {
        type: 'consent.given',
        participantId: 'dad',
        by: 'staff-1',
        kind: 'pre_approval',
        companions: [],
      },
      'The person at the centre had agreed in advance to Dad being here',
    ],
    [
      { type: 'participant.removed', participantId: 'dad', by: 'sam', admissionNumber: 1 },
      'Sam asked Dad to step out',
    ],
    [{ type: 'participant.left', participantId: 'dad', reason: 'left' }, 'Dad left'],
    [
      { type: 'device.knocked', participantId: 'dad', device: 'd', companions: [] },
      'Dad is joining from another device',
    ],
    [
      {
        type: 'participant.admitted',
        participantId: 'dad',
        admissionNumber: 2,
        basis: 'two_keys',
        otherDevice: true,
      },
      'Dad came in on another device',
    ],
    [
      { type: 'participant.declined', participantId: 'dad', by: 'lee', otherDevice: true },
      "Dad's other device was asked to wait for now",
    ],
    [
      { type: 'participant.left', participantId: 'dad', reason: 'left', otherDevice: true },
      'Dad stopped joining from another device',
    ],
    [
      { type: 'record.added', entryId: 'e', kind: 'next_step', text: 'x', by: 'lee' },
      'Dr Lee wrote a next step in the record',
    ],
    [
      {
        type: 'companions.changed',
        participantId: 'dad',
        companions: [],
        added: ['Mum'],
        removed: [],
      },
      'Dad is now with: Mum',
    ],
    [{ type: 'meeting.ended', by: 'lee' }, 'Dr Lee ended the meeting'],
    [
      { type: 'meeting.ended', by: 'server', reason: 'idle' },
      'The meeting ended by itself: nobody had been in the room for a while',
    ],
    [{ type: 'media.lost', participantId: 'dad' }, 'Dad lost connection'],
    [{ type: 'media.connected', participantId: 'dad', back: true }, 'Dad is back'],
    [
      { type: 'participant.left', participantId: 'dad', reason: 'lost' },
      "Dad's waiting page closed; they left the waiting room",
    ],
    [
      { type: 'admission.approved', participantId: 'stranger', by: 'lee' },
      'Dr Lee agreed to let Someone in',
    ],
  ])('%j → %s', (event, words) => {
    expect(describeEvent(facts(event), nameOf)).toBe(words);
  });

  it('puts every event type of the log into words', () => {
    for (const type of MEETING_EVENT_TYPES) {
      const text = describeEvent(facts(toWireEvent(EVENT_SAMPLES[type], null)), nameOf);
      expect(text.length, type).toBeGreaterThan(0);
      expect(text, type).not.toMatch(/[{}]/);
    }
  });

  it('skips a connection coming up unless it is back after a loss', () => {
    const live = (event: Record<string, unknown>) =>
      ({ type: 'event', seq: 2, at: '2026-01-01T10:00:00.000Z', event }) as LiveEvent;
    expect(timelineItem(live({ type: 'media.connected', participantId: 'dad' }))).toBeNull();
  });
});
