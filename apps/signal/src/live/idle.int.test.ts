import { describe, expect, it } from 'vitest';
import { rawQuery, testDatabaseTargets } from '@polyphony/db/testing';
import { createTestMeeting } from '../testing/meeting-harness.ts';
import { until, useTestApp } from '../testing/use-test-app.ts';

// A live meeting nobody is in ends itself after the idle bound (1.5 s here, an hour by default),
// by the server, as idle; one with someone in it does not.
describe.each(testDatabaseTargets())('idle meetings on $name', (target) => {
  const t = useTestApp(target, { reconcileIntervalMs: 200, config: { idleEndMs: 1500 } });
  const { http, join } = t;

  const stateOf = async (meetingId: string) =>
    (await t.app.commands.states.latest(t.app.database.db, meetingId))!.state;

  it('ends a meeting everyone left; keeps one with someone in it', async () => {
    const left = await createTestMeeting(t.app);
    const lee = await join(await left.link('facilitator', 'Dr Avery Lee', left.hostStaffId));
    const stays = await createTestMeeting(t.app);
    const kim = await join(await stays.link('facilitator', 'Dr Kim Stays', stays.hostStaffId));
    expect((await stateOf(left.meetingId)).status).toBe('live');
    expect((await stateOf(stays.meetingId)).status).toBe('live');

    const gone = await http.call('DELETE', `/api/meetings/${left.meetingId}/participants/me`, {
      session: lee,
    });
    expect(gone.status).toBe(200);
    await until(async () => (await stateOf(left.meetingId)).status === 'ended', 'idle end');
    const rows = await rawQuery<{ type: string; payload: unknown }>(
      t.db.database,
      `select type, payload from meeting_events where meeting_id = $1 order by seq desc limit 1`,
      [left.meetingId],
    );
    expect(rows[0]).toMatchObject({ type: 'meeting.ended' });
    expect(JSON.stringify(rows[0]!.payload)).toContain('idle');

    await new Promise((r) => setTimeout(r, 3000));
    expect((await stateOf(stays.meetingId)).status).toBe('live');
    expect(kim.participantId).toBeTruthy();
  });
});
