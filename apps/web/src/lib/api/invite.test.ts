import { InvitePreview, MeetingSessionResponse } from '@polyphony/protocol';
import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { isInvitePreview, isMeetingSession } from './invite.ts';

const ID = '7b0c4a7e-3f1d-4c7a-9a51-0d3c3b8c2f10';
const preview = {
  meeting: { id: ID, state: 'live', scheduledAt: null },
  team: [{ displayName: 'Dr Lee' }],
  organisation: { name: 'North Crisis Team', contact: 'The ward office, 020 123 4567' },
  role: 'network',
  suggestedName: 'Dad',
  hasCentrePerson: true,
  recording: {
    audioVideoRecorded: false,
    sharedRecordKept: true,
    timelineKept: true,
    speakingTimeShownToFacilitators: true,
    speakingTimeStored: false,
  },
};

const previews: [string, unknown][] = [
  ['valid', preview],
  [
    'scheduled',
    {
      ...preview,
      meeting: { ...preview.meeting, scheduledAt: '2026-02-01T10:00:00.000Z', state: 'scheduled' },
    },
  ],
  ['bad id', { ...preview, meeting: { ...preview.meeting, id: 'x' } }],
  ['bad state', { ...preview, meeting: { ...preview.meeting, state: 'paused' } }],
  ['bad role', { ...preview, role: 'patient' }],
  [
    'recording claimed',
    { ...preview, recording: { ...preview.recording, audioVideoRecorded: true } },
  ],
  ['team not a list', { ...preview, team: 'Dr Lee' }],
  ['no contact given', { ...preview, organisation: { name: 'North Crisis Team', contact: null } }],
  ['no organisation', { ...preview, organisation: undefined }],
  ['contact not text', { ...preview, organisation: { name: 'North Crisis Team', contact: 3 } }],
  ['missing name', { ...preview, suggestedName: undefined }],
  ['null', null],
];

const sessions: [string, unknown][] = [
  ['valid', { meetingId: ID, participantId: ID, csrfToken: 't', readOnly: false }],
  ['read-only', { meetingId: ID, participantId: ID, csrfToken: 't', readOnly: true }],
  ['bad id', { meetingId: 'm', participantId: ID, csrfToken: 't', readOnly: false }],
  ['no token', { meetingId: ID, participantId: ID, readOnly: false }],
  ['no read-only flag', { meetingId: ID, participantId: ID, csrfToken: 't' }],
];

describe('pre-join checks agree with the protocol schemas', () => {
  it.each(previews)('invite preview: %s', (_name, value) => {
    expect(isInvitePreview(value)).toBe(Value.Check(InvitePreview, value));
  });
  it.each(sessions)('session: %s', (_name, value) => {
    expect(isMeetingSession(value)).toBe(Value.Check(MeetingSessionResponse, value));
  });
});
