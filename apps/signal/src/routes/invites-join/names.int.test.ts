import { describe, expect, it } from 'vitest';
import { rawQuery, testDatabaseTargets } from '@polyphony/db/testing';
import { createTestMeeting } from '../../testing/meeting-harness.ts';
import { useTestApp } from '../../testing/use-test-app.ts';

describe.each(testDatabaseTargets())('names on the roster on $name', (target) => {
  const t = useTestApp(target);
  const { http } = t;

  const row = async (participantId: string) =>
    (
      await rawQuery<{ display_name: string; state: string; sessions: number }>(
        t.app.database,
        `select display_name, state,
           (select count(*)::int from guest_sessions g where g.participant_id = p.id) as sessions
         from participants p where id = $1`,
        [participantId],
      )
    )[0]!;

  it.each([
    ['the facilitator’s exact name', 'Dr Host Clinician'],
    ['it in another case', 'DR HOST CLINICIAN'],
    ['it with a zero-width space', 'Dr Host\u200B Clinician'],
    ['it with doubled spaces and a direction mark', '\u200FDr  Host Clinician'],
    ['another participant’s name', 'Maria'],
    ['it in full-width letters', '\uFF4Daria'],
  ])('refuses %s as a guest’s name, and changes nothing', async (_what, name) => {
    const m = await createTestMeeting(t.app);
    await m.link('network', 'Maria');
    const link = await m.link('network', 'Peter');
    const { res } = await http.join(link, [], name);
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ error: { code: 'NAME_TAKEN', message: expect.any(String) } });
    expect(await row(link.participantId)).toEqual({
      display_name: 'Peter',
      state: 'invited',
      sessions: 0,
    });
  });

  it('lets a guest keep their own name, and staff use their staff link', async () => {
    const m = await createTestMeeting(t.app);
    const host = await m.link('facilitator', 'Dr Host Clinician', m.hostStaffId);
    expect((await http.join(host, [], 'Dr Host Clinician')).res.status).toBe(200);
    const maria = await m.link('network', 'Maria');
    expect((await http.join(maria, [], 'maria')).res.status).toBe(200);
  });

  it('stores names normalised: NFC, invisible characters stripped, companions too', async () => {
    const m = await createTestMeeting(t.app);
    const link = await m.link('network', 'Jorg');
    const session = await t.join(link, ['Gr\u200Bandad', 'Mu\u0308mmi', 'GRANDAD']);
    const anna = await m.link('network', 'Anna');
    const { res } = await http.join(anna, [], ' Jo\u0308rg\u200E  Korhonen ');
    expect(res.status).toBe(200);
    expect((await row(anna.participantId)).display_name).toBe('J\u00f6rg Korhonen');
    const latest = await t.app.commands.states.latest(t.app.database.db, m.meetingId);
    const me = latest!.state.participants.find((p) => p.id === session.participantId)!;
    expect(me.companions.map((c) => c.name)).toEqual(['Grandad', 'M\u00fcmmi']);
  });

  it('refuses a bidi override in a name or a companion’s name', async () => {
    const m = await createTestMeeting(t.app);
    const link = await m.link('network', 'Peter');
    for (const [name, companions] of [
      ['\u202EreteP', []],
      ['Peter', ['\u202EmuM']],
      ['Peter\u2066', []],
    ] as const) {
      const { res } = await http.join(link, [...companions], name);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    }
    expect((await row(link.participantId)).sessions).toBe(0);
  });
});
