import { describe, expect, it } from 'vitest';
import { testDatabaseTargets } from '@polyphony/db/testing';
import type { MeetingDetail } from '@polyphony/protocol';
import { joinByLink, prepareMeeting } from '@polyphony/stack';
import { TEST_ORIGIN } from '../../testing/test-app.ts';
import { useTestApp } from '../../testing/use-test-app.ts';

// The centre person's pre-approval, recorded on the network member in the staff app, must
// reach every meeting's two-key rule: that invitee needs only the facilitator.
describe.each(testDatabaseTargets())('pre-approval through the staff app on $name', (target) => {
  const t = useTestApp(target);

  it('a pre-approved member is let in by the facilitator alone; another still waits for the centre person', async () => {
    const prepared = await prepareMeeting(t.baseUrl, TEST_ORIGIN, [
      { name: 'Sam', relationship: 'self', isCentre: true },
      { name: 'Dad', relationship: 'father', preApproved: true },
      { name: 'Aunt', relationship: 'aunt' },
    ]);
    const { admin, meetingId } = prepared;
    await admin.call('POST', `/api/meetings/${meetingId}/participants/me`, {});
    const link = (name: string) => prepared.links.find((l) => l.name === name)!;
    const dad = await joinByLink(t.baseUrl, TEST_ORIGIN, link('Dad').token, 'Dad');
    const aunt = await joinByLink(t.baseUrl, TEST_ORIGIN, link('Aunt').token, 'Aunt');
    for (const guest of [dad, aunt]) {
      await admin.call(
        'POST',
        `/api/meetings/${meetingId}/participants/${guest.participantId}/admit`,
      );
    }
    const detail = await admin.call<MeetingDetail>('GET', `/api/meetings/${meetingId}`);
    // the facilitator and Dad are in; Aunt waits for Sam's yes
    expect(detail.participants.byState.admitted).toBe(2);
    expect(detail.participants.byState.waiting).toBe(1);
  });
});
