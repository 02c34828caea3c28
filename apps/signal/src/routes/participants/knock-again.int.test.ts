import { describe, expect, it } from 'vitest';
import { testDatabaseTargets } from '@polyphony/db/testing';
import { createTestMeeting, type Session } from '../../testing/meeting-harness.ts';
import { useTestApp } from '../../testing/use-test-app.ts';

// A guest who left knocks again from the page they are on: their own device's session knocks
// (POST participants/me), under the same rules as opening the link there.
describe.each(testDatabaseTargets())(
  'a guest knocks again from the same page on $name',
  (target) => {
    const t = useTestApp(target);
    const { http } = t;

    const stateOf = async (meetingId: string, participantId: string) => {
      const latest = await t.app.commands.states.latest(t.app.database.db, meetingId);
      return latest!.state.participants.find((p) => p.id === participantId)!;
    };
    const knockAgain = (session: Session, opts: { csrf?: string; companions?: string[] } = {}) =>
      http.call('POST', `/api/meetings/${session.meetingId}/participants/me`, {
        session,
        ...(opts.csrf === undefined ? {} : { csrf: opts.csrf }),
        body: opts.companions ? { companions: opts.companions } : {},
      });

    it('after leaving the room, the same device knocks again and waits in the lobby', async () => {
      const m = await createTestMeeting(t.app);
      const lee = await t.join(await m.link('facilitator', 'Dr Avery Lee', m.hostStaffId));
      const dad = await t.join(await m.link('network', 'Robin Again-Dad'));
      expect((await http.act(lee, 'admit', dad.participantId)).status).toBe(200);
      expect((await stateOf(m.meetingId, dad.participantId)).state).toBe('admitted');

      const left = await http.call('DELETE', `/api/meetings/${m.meetingId}/participants/me`, {
        session: dad,
      });
      expect(left.status).toBe(200);
      expect((await stateOf(m.meetingId, dad.participantId)).state).toBe('left');

      expect((await knockAgain(dad, { csrf: 'wrong' })).body).toMatchObject({
        error: { code: 'CSRF_FAILED' },
      });
      const again = await knockAgain(dad, { companions: ['Mum Alex'] });
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({
        meetingId: m.meetingId,
        participantId: dad.participantId,
      });
      expect(await stateOf(m.meetingId, dad.participantId)).toMatchObject({
        state: 'waiting',
        companions: [expect.objectContaining({ name: 'Mum Alex' })],
      });
      // Let in again, with a new admission number.
      expect((await http.act(lee, 'admit', dad.participantId)).status).toBe(200);
      expect(await stateOf(m.meetingId, dad.participantId)).toMatchObject({
        state: 'admitted',
        admissionNumber: 2,
      });
    });

    it('a page with no session of the meeting cannot knock', async () => {
      const m = await createTestMeeting(t.app);
      const anonymous = await http.call('POST', `/api/meetings/${m.meetingId}/participants/me`, {
        body: {},
      });
      expect(anonymous.body).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
      const other = await createTestMeeting(t.app);
      const stranger = await t.join(await other.link('network', 'Robin Elsewhere'));
      const across = await knockAgain({ ...stranger, meetingId: m.meetingId });
      expect(across.body).toMatchObject({ error: { code: 'NOT_A_PARTICIPANT' } });
    });
  },
);
