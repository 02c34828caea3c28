import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DATABASE_OPEN_TIMEOUT_MS,
  testDatabaseTargets,
  type TestDatabase,
} from '@polyphony/db/testing';
import type { MeetingDetail } from '@polyphony/protocol';
import { joinByLink, prepareMeeting } from '@polyphony/stack';
import { NO_LIVEKIT } from '../../testing/staff-fixture.ts';
import { TEST_ORIGIN, startTestApp, type TestApp } from '../../testing/test-app.ts';

// The centre person's pre-approval, recorded on the network member in the staff app, must
// reach every meeting's two-key rule: that invitee needs only the facilitator.
describe.each(testDatabaseTargets())('pre-approval through the staff app on $name', (target) => {
  let db: TestDatabase;
  let t: TestApp;

  beforeAll(async () => {
    db = await target.open();
    t = await startTestApp(db.database, NO_LIVEKIT);
  }, DATABASE_OPEN_TIMEOUT_MS);

  afterAll(async () => {
    await t?.close();
    await db?.dispose();
  });

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
